namespace FeedWorker.Storage;

/// <summary>What planning a feed's next fetch needs to know about it.</summary>
/// <param name="Interval">The feed's own interval, or null for the scheduler's default.</param>
/// <param name="ArticlesLastWeek">Articles of this feed published (or first seen) in the last 7 days; null when the feed does not adapt to it.</param>
public sealed record FeedScheduleFacts(
    TimeSpan? Interval, TimeSpan? TtlHint, TimeSpan? UpdateIntervalHint, TimeSpan? MaxAgeHint,
    DateTime? RetryAfter, int ErrorCount, int? ArticlesLastWeek);

/// <summary>A replica's lease on a due feed, and what the feed's row said when it was claimed.</summary>
/// <param name="PreviousOwner">The replica whose lease on the feed lapsed unfinished, if any: the fetch is a retry of its work.</param>
public sealed record FeedClaim(string Owner, string? PreviousOwner, FeedScheduleFacts Facts);

/// <summary>Decides when a feed is fetched next (the host's scheduling policy).</summary>
public interface IFetchPlanner
{
    DateTimeOffset Plan(FeedScheduleFacts facts, DateTimeOffset now);
}
