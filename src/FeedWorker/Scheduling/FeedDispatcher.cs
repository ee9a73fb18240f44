using System.Collections.Concurrent;
using System.Threading.Channels;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Refresh;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FeedWorker.Scheduling;

/// <summary>
/// Runs this replica's share of the due feeds. Due feeds are claimed from <c>feeds</c> in batches,
/// one statement per batch (skipping rows other replicas are claiming), under a lease this replica
/// renews while it works; a replica that dies stops renewing and its feeds come back to the others
/// when the lease lapses. A bounded in-process pipeline fetches them, and each fetch's recording
/// writes the result, the next plan and the end of the claim together. Quartz is not on this path:
/// a job per feed costs its cluster lock on every fire, which capped the whole cluster at a few
/// thousand fetches a minute.
/// </summary>
internal sealed partial class FeedDispatcher(
    [FromKeyedServices(FeedDispatcher.SchedulingPool)] FeedStore feeds,
    FeedRefresher refresher,
    NextFetchPlanner planner,
    FetchBackoff backoff,
    ReplicaIdentity replica,
    [FromKeyedServices(FeedDispatcher.SchedulingPool)] NpgsqlDataSource dataSource,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<FeedDispatcher> logger) : BackgroundService
{
    /// <summary>
    /// The claims and the retry plans go through a connection pool of their own, as Quartz's job store
    /// did: article writes that exhaust the main pool do not stop the replica from handing out work
    /// (and reporting, feed by feed, what cannot be stored).
    /// </summary>
    public const string SchedulingPool = "scheduling";

    /// <summary>Database failures in a row for one feed after which each further one is also recorded on the feed.</summary>
    private const int DatabaseFailuresBeforeFeedError = 5;

    /// <summary>How often the replica looks for due feeds when the last look found fewer than it had room for.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _listChanged = new(0, 1);
    private readonly SemaphoreSlim _roomFreed = new(0, 1);
    /// <summary>Cancelled when the shutdown timeout runs out: fetches still in flight stop.</summary>
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentDictionary<long, int> _databaseFailures = new();
    /// <summary>Feeds claimed and not finished: queued or being fetched.</summary>
    private int _pending;

    /// <summary>How long a claim holds without renewal: two check-in intervals, as Quartz presumes a silent replica dead.</summary>
    public static TimeSpan Lease(SchedulingOptions settings) => settings.ClusterCheckinInterval * 2;

    /// <summary>Looks for due feeds now, not at the next poll: the feed list changed.</summary>
    public void Wake() => Release(_listChanged);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // the host's shutdown timeout: fetches that have not finished by then are cut off
        await using var abort = cancellationToken.Register(_abort.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        _listChanged.Dispose();
        _roomFreed.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = options.Value;
        var queue = Channel.CreateUnbounded<FeedSubscription>(new UnboundedChannelOptions { SingleWriter = true });
        var workers = Enumerable.Range(0, settings.MaxConcurrentFetches).Select(_ => WorkAsync(queue.Reader, stoppingToken)).ToList();
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        var renewal = RenewClaimsAsync(renewing.Token);
        try
        {
            await ClaimAsync(queue.Writer, settings, stoppingToken);
        }
        finally
        {
            queue.Writer.TryComplete();
            // fetches in flight finish (or are cut off by the shutdown timeout); queued ones do not start
            await Task.WhenAll(workers);
            await renewing.CancelAsync();
            await renewal;
            await ReleaseClaimsAsync();
            await LeaveClusterAsync();
        }
    }

    private async Task ClaimAsync(ChannelWriter<FeedSubscription> queue, SchedulingOptions settings, CancellationToken stoppingToken)
    {
        // no more than it can fetch at once: feeds claimed ahead would wait here while another replica
        // has room for them (two replicas on 30 feeds: the first to poll took all of them)
        var limit = settings.MaxConcurrentFetches;
        var minimumBatch = Math.Max(1, settings.MaxConcurrentFetches / 2);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var room = limit - Volatile.Read(ref _pending);
            if (room < minimumBatch)
            {
                await WaitAsync(_roomFreed, PollInterval, stoppingToken);
                continue;
            }
            try
            {
                var claimed = await feeds.ClaimDueAsync(
                    replica.Id, room, time.GetUtcNow() + Lease(settings), settings.AdaptToPublishingFrequency, stoppingToken);
                failures = 0;
                Interlocked.Add(ref _pending, claimed.Count);
                foreach (var feed in claimed)
                {
                    queue.TryWrite(feed);
                }
                if (claimed.Count == room)
                {
                    continue; // more may be due: claim again as soon as there is room
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(30, failures));
                if (StorageUnavailableException.IsCausedByUnavailable(e))
                {
                    LogClaimUnavailable(StorageUnavailableException.Describe(e), delay);
                }
                else
                {
                    LogClaimFailed(e, delay);
                }
                await WaitAsync(_listChanged, delay, stoppingToken);
                continue;
            }
            await WaitAsync(_listChanged, PollInterval, stoppingToken);
        }
    }

    private async Task WorkAsync(ChannelReader<FeedSubscription> queue, CancellationToken stoppingToken)
    {
        // the queue completes at shutdown; what is left in it is skipped, and its claims given back
        await foreach (var feed in queue.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                if (!stoppingToken.IsCancellationRequested)
                {
                    await FetchAsync(feed);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
                Release(_roomFreed);
            }
        }
    }

    private async Task FetchAsync(FeedSubscription feed)
    {
        if (feed.Claim?.PreviousOwner is { } previous)
        {
            LogFetchingAgain(feed.Url, previous);
        }
        try
        {
            var outcome = await refresher.RefreshAsync(feed, _abort.Token);
            if (outcome.StorageUnavailable)
            {
                // the refresher said why; the feed did nothing wrong, so its own error count and plan stay as they are
                await RetryAfterDatabaseFailureAsync(feed, outcome.Error);
            }
            else
            {
                _databaseFailures.TryRemove(feed.Id, out _);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            LogCutOff(feed.Url);
        }
    }

    /// <summary>
    /// A database fault is the worker's, not the feed's: retry soon, then less and less often, from the
    /// minimum interval, doubling per failure in a row, never later than the regular interval. A fault that
    /// persists for this one feed while the database answers (a write that always exceeds the statement
    /// timeout, say) is recorded on the feed too, so that it shows in <c>feeds</c> instead of only in logs.
    /// </summary>
    private async Task RetryAfterDatabaseFailureAsync(FeedSubscription feed, string? error)
    {
        var settings = options.Value;
        var failures = _databaseFailures.AddOrUpdate(feed.Id, 1, (_, n) => n + 1);
        var interval = feed.Claim is { } claim ? planner.RegularInterval(planner.History(claim.Facts, time.GetUtcNow())) : settings.DefaultInterval;
        var now = time.GetUtcNow();
        var delay = backoff.NextAttempt(failures, retryAfter: null, now, settings.MinimumInterval / 2) - now;
        delay = TimeSpan.FromSeconds(Math.Round(Math.Min(delay.TotalSeconds, interval.TotalSeconds), 1));
        try
        {
            await feeds.RecordDatabaseFailureAsync(
                feed, now + delay, failures >= DatabaseFailuresBeforeFeedError ? error : null, _abort.Token);
            LogDatabaseFailure(feed.Url, failures, delay);
        }
        catch (Exception e) when (StorageUnavailableException.IsCausedByUnavailable(e))
        {
            // the schedule lives in the same database: the claim lapses and the feed comes back then
            LogRetryNotPlanned(feed.Url, failures, StorageUnavailableException.Describe(e), Lease(settings));
        }
    }

    /// <summary>Keeps this replica's claims alive while it works on them.</summary>
    private async Task RenewClaimsAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.ClusterCheckinInterval / 2, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (Volatile.Read(ref _pending) == 0)
                {
                    continue;
                }
                try
                {
                    await feeds.RenewClaimsAsync(replica.Id, time.GetUtcNow() + Lease(settings), cancellationToken);
                }
                catch (Exception e) when (StorageUnavailableException.IsCausedByUnavailable(e))
                {
                    LogRenewalFailed(StorageUnavailableException.Describe(e));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Gives back what this replica claimed and did not finish, so that it is due for the others (or the next start) at once.</summary>
    private async Task ReleaseClaimsAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var released = await feeds.ReleaseClaimsAsync(replica.Id, feedIds: null, timeout.Token);
            if (released > 0)
            {
                LogClaimsGivenBack(released);
            }
        }
        catch (Exception e) when (StorageUnavailableException.IsCausedByUnavailable(e) || e is OperationCanceledException)
        {
            LogClaimsNotGivenBack(StorageUnavailableException.Describe(e));
        }
    }

    /// <summary>
    /// Quartz (stopped before this service) leaves its heartbeat row behind, so the next start would
    /// report this clean stop as a failed instance: the row goes, as after a recovery.
    /// </summary>
    private async Task LeaveClusterAsync()
    {
        try
        {
            await using var command = dataSource.CreateCommand(
                $"DELETE FROM {QuartzTables.TablePrefix}scheduler_state WHERE sched_name = @scheduler AND instance_name = @instance");
            command.Parameters.Add(new NpgsqlParameter<string>("scheduler", SchedulerInstance.SchedulerName));
            command.Parameters.Add(new NpgsqlParameter<string>("instance", replica.Id));
            command.CommandTimeout = 5;
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (StorageUnavailableException.IsCausedByUnavailable(e))
        {
            LogLeaveFailed(StorageUnavailableException.Describe(e));
        }
    }

    private static async Task WaitAsync(SemaphoreSlim signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static void Release(SemaphoreSlim signal)
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // already signalled
        }
        catch (ObjectDisposedException)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for due feeds failed: database unavailable: {Reason}; trying again in {RetryDelay}")]
    private partial void LogClaimUnavailable(string reason, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for due feeds failed; trying again in {RetryDelay}")]
    private partial void LogClaimFailed(Exception exception, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Information, Message = "{FeedUrl}: fetching again, the replica that was fetching it ({Replica}) stopped")]
    private partial void LogFetchingAgain(string feedUrl, string replica);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FeedUrl}: fetch cut off by the shutdown timeout; the feed stays due")]
    private partial void LogCutOff(string feedUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FeedUrl}: database failure {Failures} in a row; trying again in {RetryDelay}")]
    private partial void LogDatabaseFailure(string feedUrl, int failures, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{FeedUrl}: database failure {Failures} in a row; the retry could not be planned ({Reason}), the feed comes back within {Lease}")]
    private partial void LogRetryNotPlanned(string feedUrl, int failures, string reason, TimeSpan lease);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Claims could not be renewed: {Reason}")]
    private partial void LogRenewalFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gave back {Count} claimed feed(s) not fetched before the stop")]
    private partial void LogClaimsGivenBack(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claimed feeds could not be given back ({Reason}); they return when their lease lapses")]
    private partial void LogClaimsNotGivenBack(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not leave the cluster: {Reason}")]
    private partial void LogLeaveFailed(string reason);
}
