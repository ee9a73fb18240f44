using FeedWorker.Ingestion.Fetching;
using FeedWorker.Storage;
using Microsoft.Extensions.Options;

namespace FeedWorker.Scheduling;

/// <summary>What the planner knows about one feed after a fetch.</summary>
/// <param name="ConfiguredInterval">The feed's own interval, or the global default.</param>
/// <param name="PublisherHint">The longest of RSS ttl, sy:updatePeriod/Frequency and Cache-Control max-age.</param>
/// <param name="RetryAfter">What is left of a 429's or 503's Retry-After.</param>
/// <param name="ConsecutiveErrors">Failed fetches in a row, 0 after a success.</param>
/// <param name="ArticlesLastWeek">Articles the feed published in the last 7 days, or null to ignore.</param>
public sealed record FetchHistory(
    TimeSpan ConfiguredInterval,
    TimeSpan? PublisherHint,
    TimeSpan? RetryAfter,
    int ConsecutiveErrors,
    int? ArticlesLastWeek);

/// <param name="At">When to fetch next.</param>
/// <param name="Interval">The regular interval, before backoff and jitter.</param>
public sealed record FetchPlan(DateTimeOffset At, TimeSpan Interval);

/// <summary>
/// Decides when a feed is fetched next. Publisher hints can only lengthen the interval; a feed that
/// publishes rarely is polled less often (as in Miniflux's entry-frequency scheduler: a week divided
/// by the week's article count); errors and Retry-After defer to <see cref="FetchBackoff"/>; and
/// healthy runs are spread by jitter so that feeds configured together do not fire together.
/// </summary>
public sealed class NextFetchPlanner(IOptions<SchedulingOptions> options, FetchBackoff backoff, Random random) : IFetchPlanner
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    DateTimeOffset IFetchPlanner.Plan(FeedScheduleFacts facts, DateTimeOffset now) => Plan(History(facts, now), now).At;

    /// <summary>What the planner needs, from a feed's row and this configuration.</summary>
    public FetchHistory History(FeedScheduleFacts facts, DateTimeOffset now)
    {
        var settings = options.Value;
        TimeSpan? hint = new[] { facts.TtlHint, facts.UpdateIntervalHint, facts.MaxAgeHint }.Max();
        TimeSpan? retryAfter = facts.RetryAfter is { } until && until > now.UtcDateTime ? until - now.UtcDateTime : null;
        return new FetchHistory(
            facts.Interval ?? settings.DefaultInterval,
            hint,
            retryAfter,
            facts.ErrorCount,
            // an interval the user set explicitly is kept; adaptation is for feeds on the default
            settings.AdaptToPublishingFrequency && facts.Interval is null ? facts.ArticlesLastWeek : null);
    }

    public FetchPlan Plan(FetchHistory history, DateTimeOffset now)
    {
        var settings = options.Value;
        var interval = RegularInterval(history);
        if (history.ConsecutiveErrors > 0 || history.RetryAfter is not null)
        {
            var retry = backoff.NextAttempt(history.ConsecutiveErrors, history.RetryAfter, now, interval);
            return new FetchPlan(Max(retry, now + settings.MinimumInterval), interval);
        }
        var spread = interval.Ticks * settings.JitterFraction * (random.NextDouble() * 2 - 1);
        return new FetchPlan(now + interval + TimeSpan.FromTicks((long)spread), interval);
    }

    /// <summary>The interval of a healthy feed, before jitter.</summary>
    public TimeSpan RegularInterval(FetchHistory history)
    {
        var settings = options.Value;
        var interval = Max(history.ConfiguredInterval, PublicationInterval(history.ArticlesLastWeek, settings));
        if (history.PublisherHint is { } hint)
        {
            interval = Max(interval, hint);
        }
        return Max(settings.MinimumInterval, Min(interval, settings.MaximumInterval));
    }

    private static TimeSpan PublicationInterval(int? articlesLastWeek, SchedulingOptions settings) => articlesLastWeek switch
    {
        null => TimeSpan.Zero,
        0 => settings.MaximumInterval,
        var n => Week / n.Value,
    };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
