using System.Globalization;
using Quartz;

namespace FeedWorker.Scheduling;

/// <summary>How a feed appears in the job store: one durable job and one trigger per feed, keyed by the feed's id.</summary>
internal static class FeedJobs
{
    public const string Group = "feeds";
    private const string Prefix = "feed-";

    /// <summary>Trigger data: database failures in a row, for the retry backoff; absent after a run that reached the database.</summary>
    private const string DatabaseFailuresKey = "databaseFailures";

    public static JobKey JobKey(long feedId) => new(Prefix + feedId.ToString(CultureInfo.InvariantCulture), Group);

    public static TriggerKey TriggerKey(long feedId) => new(Prefix + feedId.ToString(CultureInfo.InvariantCulture), Group);

    public static bool TryGetFeedId(JobKey key, out long feedId)
    {
        feedId = 0;
        return key.Group == Group && key.Name.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(key.Name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out feedId);
    }

    /// <summary>
    /// Durable, so it outlives its trigger; recoverable, so a fetch cut short by a replica's death is
    /// run again by another replica.
    /// </summary>
    public static IJobDetail Job(long feedId) => JobBuilder.Create<FetchFeedJob>()
        .WithIdentity(JobKey(feedId))
        .StoreDurably(true)
        .RequestRecovery(true)
        .DisallowConcurrentExecution(true)
        .Build();

    /// <summary>
    /// Fires at <paramref name="at"/>, then repeats at <paramref name="interval"/> as a safety net:
    /// each run replaces this trigger with its own plan, but a run that dies before it can still
    /// leaves the feed scheduled. Fires missed while no replica ran are made up once, at once.
    /// </summary>
    public static ITrigger Trigger(long feedId, DateTimeOffset at, TimeSpan interval, TimeProvider time, int databaseFailures = 0)
    {
        var trigger = TriggerBuilder.Create(time)
            .WithIdentity(TriggerKey(feedId))
            .ForJob(JobKey(feedId))
            .StartAt(at)
            .WithSchedule(SimpleScheduleBuilder.Create()
                .WithInterval(interval)
                .RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount));
        if (databaseFailures > 0)
        {
            // a string: trigger data goes through the job store's serializer
            trigger.UsingJobData(DatabaseFailuresKey, databaseFailures.ToString(CultureInfo.InvariantCulture));
        }
        return trigger.Build();
    }

    public static int DatabaseFailures(ITrigger trigger) =>
        trigger.JobDataMap.TryGetValue(DatabaseFailuresKey, out var value) && value is string text
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var failures) ? failures : 0;
}
