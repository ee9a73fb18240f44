namespace FeedWorker.Scheduling;

/// <summary>What the planner knows about one feed after a fetch.</summary>
/// <param name="ConfiguredInterval">The feed's own interval, or the global default.</param>
/// <param name="PublisherHint">The longest of RSS ttl, sy:updatePeriod/Frequency and Cache-Control max-age.</param>
/// <param name="RetryAfter">From a 429 or 503.</param>
/// <param name="ConsecutiveErrors">Failed fetches in a row, 0 after a success.</param>
/// <param name="ArticlesLastWeek">Articles the feed published in the last 7 days, or null when unknown.</param>
public sealed record FetchHistory(
    TimeSpan ConfiguredInterval,
    TimeSpan? PublisherHint,
    TimeSpan? RetryAfter,
    int ConsecutiveErrors,
    int? ArticlesLastWeek);

/// <summary>
/// Decides when a feed is fetched next. Publisher hints and Retry-After can only lengthen the
/// interval; errors back it off exponentially; a feed that publishes rarely is polled less often
/// (as in Miniflux's entry-frequency scheduler: a week divided by the week's article count); and
/// the result is spread by jitter so that feeds configured together do not fire together.
/// </summary>
public sealed class NextFetchPlanner(SchedulingOptions options, Random random)
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromDays(1);

    public DateTimeOffset Plan(FetchHistory history, DateTimeOffset now) => now + Jitter(Interval(history));

    /// <summary>The interval before jitter.</summary>
    public TimeSpan Interval(FetchHistory history)
    {
        var interval = Clamp(Max(history.ConfiguredInterval, PublicationInterval(history.ArticlesLastWeek)));
        if (history.PublisherHint is { } hint)
        {
            interval = Max(interval, Min(hint, options.MaximumInterval));
        }
        if (history.ConsecutiveErrors > 0)
        {
            // 2^errors, capped well before the shift could overflow
            var factor = Math.Pow(2, Math.Min(history.ConsecutiveErrors, 16));
            interval = Min(TimeSpan.FromTicks((long)Math.Min(interval.Ticks * factor, MaxBackoff.Ticks)), MaxBackoff);
            interval = Max(interval, options.MinimumInterval);
        }
        if (history.RetryAfter is { } retryAfter)
        {
            interval = Max(interval, Min(retryAfter, MaxBackoff));
        }
        return interval;
    }

    private TimeSpan PublicationInterval(int? articlesLastWeek) => articlesLastWeek switch
    {
        null => TimeSpan.Zero,
        0 => options.MaximumInterval,
        var n => Week / n.Value,
    };

    private TimeSpan Jitter(TimeSpan interval)
    {
        var spread = interval.Ticks * options.JitterFraction;
        return interval + TimeSpan.FromTicks((long)((random.NextDouble() * 2 - 1) * spread));
    }

    private TimeSpan Clamp(TimeSpan interval) => Max(options.MinimumInterval, Min(interval, options.MaximumInterval));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
