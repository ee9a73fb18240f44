using System.Diagnostics;
using System.Globalization;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Benchmarks;

/// <summary>
/// Parse + clean every feed file in a directory, in process, several times; prints the median of the
/// whole pass. The same measure the feedparser side takes, so the two compare without process start-up.
/// </summary>
internal static class ParseTimer
{
    public static int Run(string directory, int runs)
    {
        var files = Directory.GetFiles(directory, "*.xml").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine($"no *.xml feed files in {directory}");
            return 1;
        }
        var documents = files
            .Select(f => new FeedDocument(File.ReadAllBytes(f), "application/xml", new Uri($"https://{Path.GetFileNameWithoutExtension(f)}.example/feed/")))
            .ToList();
        var processor = BenchmarkInputs.Processor;
        var articles = 0;
        foreach (var document in documents)
        {
            // warm-up pass (JIT, tiering), which also checks that every file parses
            var result = processor.Process(document);
            if (result.Feed is null)
            {
                Console.Error.WriteLine($"{document.DocumentUrl}: {result.Error}");
                return 1;
            }
            articles += result.Feed.Articles.Count;
        }
        var passes = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var document in documents)
            {
                processor.Process(document);
            }
            passes.Add(watch.Elapsed.TotalSeconds);
        }
        passes.Sort();
        var median = passes[passes.Count / 2];
        var bytes = documents.Sum(d => (long)d.Content.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"feedworker files={documents.Count} articles={articles} bytes={bytes} runs={runs} median_s={median:F3} per_feed_ms={median * 1000 / documents.Count:F2} articles_per_s={articles / median:F0}"));
        return 0;
    }
}
