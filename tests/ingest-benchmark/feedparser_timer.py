"""Times Python's feedparser over every *.xml feed file in a directory, in process, like
`FeedWorker.Benchmarks time-parse` does for FeedWorker, and prints the same one-line summary.

    /usr/bin/python3 feedparser_timer.py DIR [RUNS] [SHIM]

With SHIM (the conformance harness's feedparser_shim.py) each file also goes through the shim's
conversion to plain text, the counterpart of our cleaning stage; without it, feedparser.parse alone
(which already sanitizes HTML and resolves relative links).
"""
import glob
import importlib.util
import os
import statistics
import sys
import time

import feedparser


def main() -> int:
    directory = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    shim_path = sys.argv[3] if len(sys.argv) > 3 else ""
    files = sorted(glob.glob(os.path.join(directory, "*.xml")))
    if not files:
        print(f"no *.xml feed files in {directory}", file=sys.stderr)
        return 1
    if shim_path and os.path.exists(shim_path):
        spec = importlib.util.spec_from_file_location("feedparser_shim", shim_path)
        shim = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(shim)
        mode = "shim"

        def parse(path, body):
            return len(shim.parse_one(path, None)["feed"]["articles"])
    else:
        mode = "feedparser.parse"

        def parse(path, body):
            return len(feedparser.parse(body)["entries"])

    bodies = [(f, open(f, "rb").read()) for f in files]
    articles = sum(parse(f, b) for f, b in bodies)  # warm-up, and the article count
    passes, cpu_passes = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        for f, b in bodies:
            parse(f, b)
        passes.append(time.perf_counter() - start)
        cpu_passes.append(time.process_time() - cpu)
    median, cpu_median = statistics.median(passes), statistics.median(cpu_passes)
    size = sum(len(b) for _, b in bodies)
    print(f"feedparser({mode}, {feedparser.__version__}) files={len(files)} articles={articles} bytes={size} runs={runs} "
          f"median_s={median:.3f} cpu_s={cpu_median:.3f} per_feed_ms={cpu_median * 1000 / len(files):.2f} articles_per_s={articles / cpu_median:.0f} (CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
