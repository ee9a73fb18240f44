using FeedWorker.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedWorker.Scheduling;

/// <summary>
/// Makes the job store match the enabled feeds: a job for each, none for the rest. Jobs live in the
/// database and outlive configuration, so this runs at start and after every feed-list change.
/// Safe to run on several replicas at once.
/// </summary>
internal sealed class FeedJobReconciler(
    ISchedulerFactory schedulers,
    FeedScheduleStore schedule,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    Random random,
    ILogger<FeedJobReconciler> logger)
{
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var enabled = await schedule.ListEnabledAsync(cancellationToken);
        var wanted = enabled.ToDictionary(f => f.Id);

        var existing = new HashSet<long>();
        foreach (var key in await ListFeedJobsAsync(scheduler, cancellationToken))
        {
            if (FeedJobs.TryGetFeedId(key, out var id) && wanted.ContainsKey(id))
            {
                existing.Add(id);
            }
            else
            {
                await scheduler.DeleteJob(key, cancellationToken);
                logger.LogInformation("Stopped scheduling feed {FeedId}: it is disabled or gone", id);
            }
        }

        var now = time.GetUtcNow();
        var interval = options.Value.DefaultInterval;
        var missing = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        foreach (var (id, nextFetchAt) in enabled.Where(f => !existing.Contains(f.Id)))
        {
            // a new feed starts soon, spread over a few seconds so that a long list does not fire at once
            var at = nextFetchAt is { } planned && planned > now.UtcDateTime
                ? new DateTimeOffset(planned, TimeSpan.Zero)
                : now + TimeSpan.FromMilliseconds(random.Next(0, (int)Math.Min(interval.TotalMilliseconds / 10, 10_000) + 1));
            missing[FeedJobs.Job(id)] = [FeedJobs.Trigger(id, at, interval, time)];
        }
        if (missing.Count > 0)
        {
            // Replacing: another replica reconciling at the same moment may have added the same jobs
            await scheduler.ScheduleJobs(missing, ScheduleJobOptions.Replacing, cancellationToken);
            logger.LogInformation("Scheduled {Count} feed(s)", missing.Count);
        }
    }

    private static async Task<List<JobKey>> ListFeedJobsAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        const int PageSize = 1000;
        var keys = new List<JobKey>();
        while (true)
        {
            var page = await scheduler.QueryJobs(
                new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals(FeedJobs.Group), Skip = keys.Count, Take = PageSize }, cancellationToken);
            keys.AddRange(page.Items.Select(j => j.Key));
            if (!page.HasMore || page.Items.Count == 0)
            {
                return keys;
            }
        }
    }
}
