using FeedWorker.Configuration;
using FeedWorker.Storage;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FeedWorker.Scheduling;

/// <summary>
/// Daily retention. Its trigger lives in the clustered job store, so each day it runs on one replica
/// only; it does nothing while retention is off.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class RetentionJob(ArticlePruner pruner, FeedControls controls, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("retention", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await pruner.PruneAsync(controls.MaxAges(), dryRun: false, onPruned: null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && StorageUnavailableException.IsUnavailable(e))
        {
            // tomorrow's run takes what is left; nothing is half-deleted (one transaction per batch)
            LogStopped(StorageUnavailableException.Describe(e));
        }
    }

    /// <summary>Registers the job with a daily trigger that first fires a minute after the start.</summary>
    public static void Schedule(IQuartzBuilder quartz) =>
        quartz.ScheduleJob<RetentionJob>(
            trigger => trigger.WithIdentity("retention", "maintenance")
                .StartAt(DateTimeOffset.UtcNow.AddMinutes(1))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromDays(1)).RepeatForever()),
            job => job.WithIdentity(Key).StoreDurably());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention stopped: database unavailable: {Reason}")]
    private partial void LogStopped(string reason);
}
