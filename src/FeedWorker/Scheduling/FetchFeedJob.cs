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
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<FetchFeedJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!FeedJobs.TryGetFeedId(context.JobDetail.Key, out var feedId))
        {
            return;
        }
        var feed = await feeds.FindAsync(feedId, cancellationToken);
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

        await refresher.RefreshAsync(feed, cancellationToken);

        var facts = await schedule.GetFactsAsync(feedId, cancellationToken);
        if (facts is not { Enabled: true })
        {
            logger.LogInformation("{FeedUrl}: disabled ({Reason}); removing its job", feed.Url, "see feeds.disabled_reason");
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
            return;
        }
        var now = time.GetUtcNow();
        var plan = planner.Plan(History(facts, now), now);
        await schedule.SetNextFetchAsync(feedId, plan.At, cancellationToken);
        if (context.Scheduler.Status is SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown)
        {
            // a fetch drained during shutdown: the trigger's repeat interval stands in for the plan
            return;
        }
        try
        {
            await context.Scheduler.RescheduleJob(context.Trigger.Key, FeedJobs.Trigger(feedId, plan.At, plan.Interval, time), cancellationToken);
            logger.LogDebug("{FeedUrl}: next fetch at {NextFetch:O}", feed.Url, plan.At);
        }
        catch (SchedulerException) when (context.Scheduler.Status is SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown)
        {
            // shutdown began while this fetch ran; as above
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
