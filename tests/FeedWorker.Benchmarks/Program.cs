using BenchmarkDotNet.Running;
using FeedWorker.Benchmarks;

// `time-parse DIR [RUNS]` times parse+clean over feed files for the feedparser comparison
// (tests/ingest-benchmark/compare-feedparser.sh); anything else goes to BenchmarkDotNet.
if (args is ["time-parse", var directory, ..])
{
    return ParseTimer.Run(directory, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
}
BenchmarkSwitcher.FromAssembly(typeof(QuickConfig).Assembly).Run(args);
return 0;
