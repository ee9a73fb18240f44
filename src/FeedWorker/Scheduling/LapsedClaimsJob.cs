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
internal sealed class LapsedClaimsJob(FeedStore feeds, ILogger<LapsedClaimsJob> logger) : IJob
{
    public static readonly JobKey Key = new("lapsed-claims", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (owner, count) in await feeds.ClearLapsedClaimsAsync(cancellationToken))
            {
                logger.LogWarning("Replica {Replica} stopped without finishing {Count} claimed feed(s); they are due for the other replicas", owner, count);
            }
        }
        catch (Exception e) when (StorageUnavailableException.IsCausedByUnavailable(e))
        {
            logger.LogDebug("Lapsed claims not cleared: {Reason}", StorageUnavailableException.Describe(e));
        }
    }
}
