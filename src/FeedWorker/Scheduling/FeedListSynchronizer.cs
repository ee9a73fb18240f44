using FeedWorker.Configuration;
using FeedWorker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FeedWorker.Scheduling;

/// <summary>
/// Keeps <c>feeds</c> in step with the configured feed list: at start, whenever the configuration
/// reloads (a new feed starts, a removed one stops and keeps its articles), and every few minutes as
/// a safety net for a change missed during a database outage.
/// </summary>
internal sealed partial class FeedListSynchronizer(
    ConfiguredFeeds configured,
    IOptionsMonitor<FeedWorkerOptions> feedOptions,
    FeedStore feeds,
    FeedDispatcher dispatcher,
    IOptions<SchedulingOptions> options,
    ILogger<FeedListSynchronizer> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0, 1);
    private IDisposable? _subscription;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // the first sync runs before the worker reports started, so a broken database stops it early
        await SyncAsync(cancellationToken);
        _subscription = feedOptions.OnChange((_, _) => Signal());
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = await _changed.WaitAsync(options.Value.ResyncInterval, stoppingToken);
            if (changed)
            {
                // a save often fires several change events: let them settle
                await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken);
                while (_changed.Wait(0)) { }
                LogChanged();
            }
            try
            {
                await SyncAsync(stoppingToken);
            }
            catch (Exception e) when (StorageUnavailableException.IsCausedByUnavailable(e))
            {
                LogSyncUnavailable(StorageUnavailableException.Describe(e));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSyncFailed(e);
            }
        }
    }

    public override void Dispose()
    {
        _subscription?.Dispose();
        _changed.Dispose();
        base.Dispose();
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // a resync is already pending
        }
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<FeedDefinition> definitions;
        try
        {
            definitions = configured.All;
        }
        catch (OptionsValidationException e)
        {
            LogConfigurationRejected(string.Join("; ", e.Failures));
            return;
        }
        var changed = await feeds.SyncAsync(definitions, cancellationToken);
        if (changed > 0)
        {
            LogSynced(changed);
        }
        dispatcher.Wake();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed list changed; resyncing")]
    private partial void LogChanged();

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Feed list sync failed: database unavailable: {Reason}; the previous list stays in force and the sync is retried")]
    private partial void LogSyncUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feed list sync failed; the previous list stays in force and the sync is retried")]
    private partial void LogSyncFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration rejected, keeping the current feed list: {Failures}")]
    private partial void LogConfigurationRejected(string failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} feed(s) started or stopped by the configuration")]
    private partial void LogSynced(int count);
}
