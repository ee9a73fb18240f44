using System.Text;

namespace FeedWorker.Benchmarks.FeedServer;

/// <summary>Writes the corpus to disk, where the server picks it up (and its modification times give the validators).</summary>
internal static class CorpusFiles
{
    public static int Generate(BenchOptions options)
    {
        var corpus = options.Corpus();
        Directory.CreateDirectory(options.FeedsDirectory);
        long bytes = 0;
        Parallel.For(0, options.Feeds, feed => Interlocked.Add(ref bytes, Write(options, corpus, feed, revision: 0)));
        Console.WriteLine($"generated {options.Feeds} feeds x {options.Items} items ({bytes / 1048576.0:F1} MiB) in {options.FeedsDirectory}");
        return 0;
    }

    public static int Change(BenchOptions options)
    {
        var corpus = options.Corpus();
        var changed = corpus.ChangedFeeds(options.Fraction, options.Round);
        foreach (var feed in changed)
        {
            Write(options, corpus, feed, options.Revision);
        }
        Console.WriteLine($"changed {changed.Count} of {options.Feeds} feeds (revision {options.Revision})");
        return 0;
    }

    private static long Write(BenchOptions options, Feeds.FeedCorpus corpus, int feed, int revision)
    {
        var path = Path.Combine(options.FeedsDirectory, corpus.FileName(feed));
        var bytes = Encoding.UTF8.GetBytes(corpus.Render(feed, revision));
        // write then rename: the server never serves a half-written feed
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
        return bytes.Length;
    }
}
