using FeedWorker.Storage;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FeedWorker.Scheduling;

/// <summary>
/// A cluster duty, run by one replica at a time on Quartz's schedule: clears claims whose lease lapsed
/// because their replica stopped without giving them back, and says so. The feeds are due for any
/// replica as soon as the lease lapses, cleared or not; clearing keeps <c>feeds</c> truthful.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class LapsedClaimsJob(FeedStore feeds, ILogger<LapsedClaimsJob> logger) : IJob
{
    public static readonly JobKey Key = new("lapsed-claims", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (owner, count) in await feeds.ClearLapsedClaimsAsync(cancellationToken))
            {
                LogClaimsLapsed(owner, count);
            }
        }
        catch (Exception e) when (StorageUnavailableException.IsCausedByUnavailable(e))
        {
            LogNotCleared(StorageUnavailableException.Describe(e));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Replica {Replica} stopped without finishing {Count} claimed feed(s); they are due for the other replicas")]
    private partial void LogClaimsLapsed(string replica, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Lapsed claims not cleared: {Reason}")]
    private partial void LogNotCleared(string reason);
}
