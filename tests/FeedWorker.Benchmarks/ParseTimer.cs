using System.Diagnostics;
using System.Globalization;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Benchmarks;

/// <summary>
/// Parse + clean every feed file in a directory, in process, several times; prints the median of the
/// whole pass, in wall-clock and CPU seconds (the process's user+sys: on a shared machine the wall clock also
/// counts the time other processes held the cores). The same measures the feedparser side takes, so the two
/// compare without process start-up.
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
            // the first pass also checks that every file parses
            var result = processor.Process(document);
            if (result.Feed is null)
            {
                Console.Error.WriteLine($"{document.DocumentUrl}: {result.Error}");
                return 1;
            }
            articles += result.Feed.Articles.Count;
        }
        // warm up until tiered compilation has promoted the hot methods: it waits for a lull in new tier-0 code
        var warmUp = Stopwatch.StartNew();
        for (var pass = 1; pass < 3 || warmUp.Elapsed < TimeSpan.FromSeconds(3); pass++)
        {
            foreach (var document in documents)
            {
                processor.Process(document);
            }
        }
        var passes = new List<double>();
        var cpuPasses = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var watch = Stopwatch.StartNew();
            foreach (var document in documents)
            {
                processor.Process(document);
            }
            passes.Add(watch.Elapsed.TotalSeconds);
            cpuPasses.Add((Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
        }
        passes.Sort();
        cpuPasses.Sort();
        var median = passes[passes.Count / 2];
        var cpuMedian = cpuPasses[cpuPasses.Count / 2];
        var (parse, clean) = Stages(documents, runs);
        var bytes = documents.Sum(d => (long)d.Content.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"feedworker files={documents.Count} articles={articles} bytes={bytes} runs={runs} median_s={median:F3} cpu_s={cpuMedian:F3} per_feed_ms={cpuMedian * 1000 / documents.Count:F2} articles_per_s={articles / cpuMedian:F0} (CPU; stages, CPU: parse_s={parse:F3} clean_s={clean:F3})"));
        return 0;
    }

    /// <summary>Median CPU seconds of parsing every document, and of cleaning every article, measured apart.</summary>
    private static (double Parse, double Clean) Stages(IReadOnlyList<FeedDocument> documents, int runs)
    {
        var parser = BenchmarkInputs.Parser;
        var cleaner = BenchmarkInputs.Cleaner;
        var parseTimes = new List<double>();
        var cleanTimes = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var parsed = documents.Select(d => (d.DocumentUrl, parser.Parse(d).Feed!.Articles)).ToList();
            parseTimes.Add((Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
            cpu = Environment.CpuUsage.TotalTime;
            foreach (var (url, articles) in parsed)
            {
                foreach (var article in articles)
                {
                    cleaner.Clean(article.ContentHtml ?? "", article.BaseUrl ?? url);
                }
            }
            cleanTimes.Add((Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
        }
        parseTimes.Sort();
        cleanTimes.Sort();
        return (parseTimes[runs / 2], cleanTimes[runs / 2]);
    }
}
