using System.Globalization;

namespace FeedWorker.Soak.Server;

/// <summary>The server's command line: <c>--name value</c> pairs, every one optional but <c>--out</c>.</summary>
internal sealed record SoakOptions(
    string OutDirectory,
    int Feeds,
    int Window,
    int Backlog,
    int Seed,
    int Ports,
    string Interval,
    double FaultRate,
    TimeSpan Stall,
    TimeSpan PublishMin,
    TimeSpan PublishMax,
    double Shared,
    string? AppSettings)
{
    public static SoakOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --option value, got '{args[i]}'");
            }
            values[args[i][2..]] = args[i + 1];
        }
        int Number(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Real(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(Real(name, fallback));
        var feeds = Number("feeds", 1000);
        var options = new SoakOptions(
            values.GetValueOrDefault("out") ?? throw new ArgumentException("--out DIR is required"),
            feeds,
            Number("window", 25),
            Number("backlog", 20),
            Number("seed", 20261124),
            Number("ports", Math.Clamp((feeds + 19) / 20, 1, 64)),
            values.GetValueOrDefault("interval", "1m"),
            Real("fault-rate", 0.1),
            Seconds("stall-seconds", 15),
            Seconds("publish-min-seconds", 60),
            Seconds("publish-max-seconds", 240),
            Real("shared", 0.15),
            values.GetValueOrDefault("appsettings"));
        if (options.Backlog > options.Window || options.Window < 1 || options.PublishMin > options.PublishMax || options.PublishMin <= TimeSpan.Zero)
        {
            throw new ArgumentException("need 1 <= backlog <= window and 0 < publish-min <= publish-max");
        }
        return options;
    }
}
