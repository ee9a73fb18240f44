using System.Globalization;
using FeedWorker.Benchmarks.Feeds;

namespace FeedWorker.Benchmarks.FeedServer;

internal sealed record BenchOptions(
    string Directory, int Feeds, int Items, int Seed, int Round, double Fraction, int Revision, int Ports, string? AppSettings)
{
    public string FeedsDirectory => Path.Combine(Directory, "feeds");

    public FeedCorpus Corpus() => new(new CorpusOptions { Feeds = Feeds, ItemsPerFeed = Items, Seed = Seed });

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected an --option, got '{args[i]}'");
            }
            values[args[i][2..]] = args[i + 1];
        }
        string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        int Number(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(
            Text("dir", "."),
            Number("feeds", 500),
            Number("items", 50),
            Number("seed", 20261124),
            Number("round", 1),
            values.TryGetValue("fraction", out var f) ? double.Parse(f, CultureInfo.InvariantCulture) : 0.1,
            Number("revision", 1),
            Number("ports", 0),
            values.GetValueOrDefault("appsettings"));
    }
}
