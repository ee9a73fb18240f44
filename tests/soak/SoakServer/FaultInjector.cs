using System.Globalization;

namespace FeedWorker.Soak.Server;

internal enum Fault
{
    ServerError,
    Unavailable,
    StallBeforeHeaders,
    StallMidBody,
    Reset,
    Truncated,
}

/// <summary>
/// Picks a fault for a share of the requests from a seeded generator and logs each one
/// (time, feed, fault) to faults.log. Off once quiesced.
/// </summary>
internal sealed class FaultInjector : IDisposable
{
    // relative weights: the 5xx and resets are retried inside one fetch, stalls and truncations fail it
    private static readonly (Fault Fault, double Weight)[] Mix =
    [
        (Fault.ServerError, 0.25), (Fault.Unavailable, 0.2), (Fault.Reset, 0.2),
        (Fault.StallBeforeHeaders, 0.1), (Fault.StallMidBody, 0.1), (Fault.Truncated, 0.15),
    ];

    private readonly Random _random;
    private readonly double _rate;
    private readonly StreamWriter _log;
    private readonly long[] _counts = new long[Enum.GetValues<Fault>().Length];
    private volatile bool _off;

    public FaultInjector(SoakOptions options)
    {
        _random = new Random(options.Seed ^ 0x5EED);
        _rate = options.FaultRate;
        _log = new StreamWriter(Path.Combine(options.OutDirectory, "faults.log")) { AutoFlush = true };
    }

    public void Stop() => _off = true;

    public Fault? Next(NewsFeed feed)
    {
        if (_off) return null;
        Fault fault;
        lock (_random)
        {
            if (_random.NextDouble() >= _rate) return null;
            var pick = _random.NextDouble() * Mix.Sum(m => m.Weight);
            fault = Mix.First(m => (pick -= m.Weight) < 0 || m == Mix[^1]).Fault;
            _log.Write(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O}\t{feed.Index}\t{fault}\n"));
        }
        Interlocked.Increment(ref _counts[(int)fault]);
        return fault;
    }

    public Dictionary<string, long> Counts() =>
        Enum.GetValues<Fault>().ToDictionary(f => f.ToString(), f => Interlocked.Read(ref _counts[(int)f]));

    public void Dispose()
    {
        lock (_random) _log.Dispose();
    }
}
