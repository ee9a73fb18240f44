namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// When to fetch a feed next: the regular interval while it works, exponential backoff with jitter
/// after consecutive errors, never sooner than the server's Retry-After, never later than a day.
/// Each feed's schedule is its own, so one failing feed delays no other.
/// </summary>
public sealed class FetchBackoff(Random random)
{
    /// <summary>Longest delay, for backoff and for Retry-After alike (a hostile Retry-After must not silence a feed).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    /// <summary>Jitter spreads retries of feeds that failed together: ±20 % of the delay.</summary>
    public const double JitterFraction = 0.2;

    public FetchBackoff() : this(Random.Shared)
    {
    }

    /// <param name="errorCount">Consecutive failed fetches, this one included; 0 after a success.</param>
    /// <param name="retryAfter">The server's Retry-After, if any.</param>
    /// <param name="now">The time of this fetch.</param>
    /// <param name="baseInterval">The feed's regular polling interval.</param>
    public DateTimeOffset NextAttempt(int errorCount, TimeSpan? retryAfter, DateTimeOffset now, TimeSpan baseInterval) =>
        Compute(errorCount, retryAfter, now, baseInterval, random.NextDouble() * 2 - 1);

    /// <param name="jitter">In [-1, 1]: the share of <see cref="JitterFraction"/> to add.</param>
    internal static DateTimeOffset Compute(int errorCount, TimeSpan? retryAfter, DateTimeOffset now, TimeSpan baseInterval, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(errorCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseInterval, TimeSpan.Zero);
        jitter = Math.Clamp(jitter, -1, 1);

        // 2^errorCount grows past a day quickly; cap the exponent so the double stays finite.
        var factor = Math.Pow(2, Math.Min(errorCount, 40));
        var delaySeconds = Math.Min(baseInterval.TotalSeconds * factor, MaxDelay.TotalSeconds);
        if (errorCount > 0)
        {
            delaySeconds *= 1 + jitter * JitterFraction;
        }
        var delay = TimeSpan.FromSeconds(Math.Min(delaySeconds, MaxDelay.TotalSeconds));
        if (retryAfter is { } wait && wait > delay)
        {
            delay = wait < MaxDelay ? wait : MaxDelay;
        }
        return now + delay;
    }
}
