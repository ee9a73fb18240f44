using FeedWorker.Ingestion.Fetching;
using FeedWorker.Refresh;
using FeedWorker.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedWorker.Scheduling;

/// <summary>
/// Fetches one feed and plans its next run. Quartz runs it on exactly one replica of the cluster,
/// never twice at once for the same feed.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class FetchFeedJob(
    FeedRefresher refresher,
    FeedStore feeds,
    FeedScheduleStore schedule,
    NextFetchPlanner planner,
    FetchBackoff backoff,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<FetchFeedJob> logger) : IJob
{
    /// <summary>Database failures in a row for one feed after which each further one is also recorded on the feed.</summary>
    private const int DatabaseFailuresBeforeFeedError = 5;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!FeedJobs.TryGetFeedId(context.JobDetail.Key, out var feedId))
        {
            return;
        }
        FeedSubscription? feed = null;
        try
        {
            feed = await feeds.FindAsync(feedId, cancellationToken);
            if (feed is not { Enabled: true })
            {
                logger.LogInformation("Feed {FeedId} is no longer enabled; removing its job", feedId);
                await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
                return;
            }
            if (context.Recovering)
            {
                logger.LogInformation("{FeedUrl}: fetching again, the replica that was fetching it stopped", feed.Url);
            }

            var outcome = await refresher.RefreshAsync(feed, cancellationToken);
            if (outcome.StorageUnavailable)
            {
                // the refresher said why; the feed did nothing wrong, so its own error count and plan stay as they are
                await RetryAfterDatabaseFailureAsync(context, feedId, feed.Url, outcome.Error, cancellationToken);
                return;
            }
            await PlanNextFetchAsync(context, feed, cancellationToken);
        }
        catch (Exception e) when (StorageUnavailableException.IsCausedByUnavailable(e))
        {
            // reading the feed or planning its next fetch failed; what the refresh stored is committed or rolled back whole
            var reason = StorageUnavailableException.Describe(e);
            logger.LogError("{FeedUrl}: database unavailable: {Reason}", feed?.Url ?? $"feed {feedId}", reason);
            await RetryAfterDatabaseFailureAsync(context, feedId, feed?.Url, $"database unavailable: {reason}", cancellationToken);
        }
    }

    private async Task PlanNextFetchAsync(IJobExecutionContext context, FeedSubscription feed, CancellationToken cancellationToken)
    {
        var facts = await schedule.GetFactsAsync(feed.Id, cancellationToken);
        if (facts is not { Enabled: true })
        {
            logger.LogInformation("{FeedUrl}: disabled ({Reason}); removing its job", feed.Url, "see feeds.disabled_reason");
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
            return;
        }
        var now = time.GetUtcNow();
        var plan = planner.Plan(History(facts, now), now);
        await schedule.SetNextFetchAsync(feed.Id, plan.At, cancellationToken);
        await RescheduleAsync(context, FeedJobs.Trigger(feed.Id, plan.At, plan.Interval, time), cancellationToken);
        logger.LogDebug("{FeedUrl}: next fetch at {NextFetch:O}", feed.Url, plan.At);
    }

    /// <summary>
    /// A database fault is the worker's, not the feed's: retry soon, then less and less often, from the
    /// minimum interval, doubling per failure in a row, never later than the regular interval. A fault that
    /// persists for this one feed while the database answers (a write that always exceeds the statement
    /// timeout, say) is recorded on the feed too, so that it shows in <c>feeds</c> instead of only in logs.
    /// </summary>
    /// <param name="feedUrl">Null when the feed could not even be read.</param>
    private async Task RetryAfterDatabaseFailureAsync(
        IJobExecutionContext context, long feedId, string? feedUrl, string? error, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var failures = FeedJobs.DatabaseFailures(context.Trigger) + 1;
        var interval = context.Trigger is ISimpleTrigger { RepeatInterval: var repeat } && repeat > TimeSpan.Zero ? repeat : settings.DefaultInterval;
        var now = time.GetUtcNow();
        var delay = backoff.NextAttempt(failures, retryAfter: null, now, settings.MinimumInterval / 2) - now;
        delay = TimeSpan.FromSeconds(Math.Round(Math.Min(delay.TotalSeconds, interval.TotalSeconds), 1));
        if (failures >= DatabaseFailuresBeforeFeedError && error is not null)
        {
            await RecordOnFeedAsync(feedId, error, cancellationToken);
        }
        try
        {
            if (!await RescheduleAsync(context, FeedJobs.Trigger(feedId, now + delay, interval, time, failures), cancellationToken))
            {
                return;
            }
            logger.LogWarning("{FeedUrl}: database failure {Failures} in a row; trying again in {RetryDelay}", feedUrl ?? $"feed {feedId}", failures, delay);
        }
        catch (SchedulerException e)
        {
            // the job store lives in the same database: the trigger's regular repeat brings the feed back
            logger.LogWarning("Feed {FeedId}: the retry could not be scheduled ({Reason}); the feed comes back at its regular interval",
                feedId, StorageUnavailableException.Describe(e));
        }
    }

    /// <summary>Best effort: while the database is down this write fails too, and the log has said it all.</summary>
    private async Task RecordOnFeedAsync(long feedId, string error, CancellationToken cancellationToken)
    {
        try
        {
            await feeds.RecordFailureAsync(feedId, status: null, error, "database", retryAfter: null, cancellationToken);
        }
        catch (Exception e) when (StorageUnavailableException.IsCausedByUnavailable(e))
        {
            logger.LogDebug("Feed {FeedId}: the database failure could not be recorded on the feed ({Reason})", feedId, StorageUnavailableException.Describe(e));
        }
    }

    /// <summary>Replaces the feed's trigger; false when the scheduler is shutting down and the trigger's repeat interval stands in.</summary>
    private static async Task<bool> RescheduleAsync(IJobExecutionContext context, ITrigger trigger, CancellationToken cancellationToken)
    {
        if (context.Scheduler.Status is SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown)
        {
            // a fetch drained during shutdown: the trigger's repeat interval stands in for the plan
            return false;
        }
        try
        {
            await context.Scheduler.RescheduleJob(context.Trigger.Key, trigger, cancellationToken);
            return true;
        }
        catch (SchedulerException) when (context.Scheduler.Status is SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown)
        {
            // shutdown began while this fetch ran; as above
            return false;
        }
    }

    private FetchHistory History(FeedScheduleFacts facts, DateTimeOffset now)
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
}
