using FeedWorker.Ingestion;
using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.FullContent;
using FeedWorker.Ingestion.Parsing;
using FeedWorker.Configuration;
using FeedWorker.Observability;
using FeedWorker.Storage;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace FeedWorker.Refresh;

/// <summary>
/// One feed, once: fetch (conditional), parse and clean, store, and record the feed's state. Never
/// throws for a bad feed: the outcome carries the error, so one feed cannot stop the others.
/// </summary>
/// <param name="controls">Per-feed request options, rules, retention and base URL; null in hosts without the feed configuration (tests).</param>
public sealed partial class FeedRefresher(
    FeedFetcher fetcher, FeedDocumentProcessor processor, ArticlePages pages, ArticleStore articles, FeedStore feeds,
    TimeProvider time, IMeterFactory meterFactory, ILogger<FeedRefresher> logger, FeedControls? controls = null)
{
    private readonly FeedWorkerMetrics _metrics = new(meterFactory);

    public async Task<FeedRefreshOutcome> RefreshAsync(FeedSubscription feed, CancellationToken cancellationToken)
    {
        try
        {
            return await RefreshCoreAsync(feed, cancellationToken);
        }
        catch (Exception e) when (StorageUnavailableException.IsUnavailable(e))
        {
            LogDatabaseUnavailable(feed.Url, StorageUnavailableException.Describe(e));
            _metrics.Failed(FeedErrorKind.Database);
            return FeedRefreshOutcome.Failed(feed.Url, $"database unavailable: {StorageUnavailableException.Describe(e)}", storageUnavailable: true);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // not the database's fault: the feed's own (or the worker's) and recorded on its row, so it shows in `feeds`
            var error = $"refresh failed: {StorageUnavailableException.Describe(e)}";
            LogRefreshFailed(feed.Url, error);
            LogRefreshException(e, feed.Url);
            return await RecordInternalFailureAsync(feed, error, cancellationToken);
        }
    }

    private async Task<FeedRefreshOutcome> RecordInternalFailureAsync(FeedSubscription feed, string error, CancellationToken cancellationToken)
    {
        try
        {
            await feeds.RecordFailureAsync(feed, null, error, FeedErrorKind.Internal, null, cancellationToken: cancellationToken);
            _metrics.Failed(FeedErrorKind.Internal);
            return FeedRefreshOutcome.Failed(feed.Url, error);
        }
        catch (Exception e) when (StorageUnavailableException.IsUnavailable(e))
        {
            LogDatabaseUnavailable(feed.Url, StorageUnavailableException.Describe(e));
            _metrics.Failed(FeedErrorKind.Database);
            return FeedRefreshOutcome.Failed(feed.Url, error, storageUnavailable: true);
        }
    }

    private async Task<FeedRefreshOutcome> RefreshCoreAsync(FeedSubscription feed, CancellationToken cancellationToken)
    {
        // the fetcher reports network and HTTP failures in its result; it throws only when cancelled
        var fetchStarted = time.GetTimestamp();
        var control = controls?.For(feed.ConfiguredUrl ?? feed.Url) ?? FeedControl.None;
        var fetched = await fetcher.FetchAsync(new FetchRequest(feed.Url, feed.ETag, feed.LastModified, control.Request), cancellationToken);
        _metrics.FetchCompleted(time.GetElapsedTime(fetchStarted), fetched.Outcome switch
        {
            FetchOutcome.NotModified => FeedWorkerMetrics.Outcomes.NotModified,
            FetchOutcome.Failed => FeedWorkerMetrics.Outcomes.Failed,
            _ => "fetched",
        });

        switch (fetched.Outcome)
        {
            case FetchOutcome.NotModified:
                await feeds.RecordNotModifiedAsync(feed, fetched.StatusCode, fetched.MaxAge, cancellationToken);
                _metrics.NotModified();
                return new FeedRefreshOutcome(feed.Url, FeedRefreshStatus.NotModified, StoreResult.Empty, null);
            case FetchOutcome.Failed:
                // the fetcher names the kind of every failure; one without is the worker's own fault
                return await FailAsync(feed, fetched.StatusCode, fetched.Error ?? $"fetch failed ({fetched.ErrorKind})", fetched.ErrorKind ?? FeedErrorKind.Internal, fetched.RetryAfter, cancellationToken);
        }

        var source = new FeedDocument(fetched.Body, fetched.ContentType, fetched.FinalUrl, control.BaseUrl);
        var published = await processor.ParseAsync(source, cancellationToken);
        if (published.Feed is null)
        {
            LogParseWarnings(feed, published.Warnings);
            return await FailAsync(feed, fetched.StatusCode, $"not a feed: {published.Error}", FeedErrorKind.Parse, null, cancellationToken);
        }
        // items stored exactly as published are not cleaned again: on a changed feed, most of them
        var stored = await articles.StoredItemsAsync(feed.Id, published.Feed.Articles, cancellationToken);
        var parsed = await processor.CleanAsync(published, source, article => !stored.IsUnchanged(article), cancellationToken);
        LogParseWarnings(feed, parsed.Warnings);
        var document = parsed.Feed!;
        var state = new FeedFetchSuccess(
            fetched.StatusCode, fetched.ETag, fetched.LastModified, document.Title, document.Link,
            document.RefreshHints.TimeToLive, document.RefreshHints.UpdateInterval, fetched.MaxAge, fetched.PermanentRedirect?.AbsoluteUri,
            parsed.Warnings);
        var (kept, filtered) = control.Rules.Filter(document.Articles, time.GetUtcNow());
        var items = PreparedItems.Of(kept);
        if (feed.FetchFullContent)
        {
            // only for items storing would write: a page is an extra request to the publisher's site
            items = await pages.AddAsync(feed.Url, items, stored.IsNewOrChanged, control.Request, cancellationToken);
        }
        var storeStarted = time.GetTimestamp();
        var result = await articles.StoreAsync(
            feed.Id, items, feeds.Succeeded(feed, state), document.Language ?? feed.Language, stored, cancellationToken);
        _metrics.Stored(result, time.GetElapsedTime(storeStarted), filtered);
        LogStored(feed.Url, result.New, result.Updated, result.Unchanged, result.Duplicates, result.NearDuplicates, filtered);
        IReadOnlyList<string> warnings = [.. parsed.Warnings, .. result.Warnings];
        if (warnings.Count > 0)
        {
            LogWarnings(feed.Url, warnings.Count, warnings[0]);
        }
        return new FeedRefreshOutcome(feed.Url, FeedRefreshStatus.Stored, result, null) { Filtered = filtered };
    }

    private void LogParseWarnings(FeedSubscription feed, IReadOnlyList<string> warnings)
    {
        foreach (var warning in warnings)
        {
            LogParseWarning(feed.Url, warning);
        }
    }

    private async Task<FeedRefreshOutcome> FailAsync(
        FeedSubscription feed, int? status, string error, FeedErrorKind kind, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var until = retryAfter is { } wait ? time.GetUtcNow().UtcDateTime + wait : (DateTime?)null;
        DateTimeOffset? next = null;
        try
        {
            next = await feeds.RecordFailureAsync(feed, status, error, kind, until, disable: kind == FeedErrorKind.Gone, cancellationToken);
        }
        finally
        {
            // one line per failed fetch: the feed, the cause and, when the worker schedules it, the next attempt
            if (next is { } at)
            {
                LogFetchFailedUntil(feed.Url, FeedErrorText.WithoutFeedUrl(error, feed.Url), at);
            }
            else
            {
                LogFetchFailed(feed.Url, FeedErrorText.WithoutFeedUrl(error, feed.Url));
            }
        }
        // counted once recorded: a database failure on the way is counted as Database instead
        _metrics.Failed(kind);
        return FeedRefreshOutcome.Failed(feed.Url, error);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{FeedUrl}: database unavailable: {Reason}")]
    private partial void LogDatabaseUnavailable(string feedUrl, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{FeedUrl}: {Error}")]
    private partial void LogRefreshFailed(string feedUrl, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{FeedUrl}: refresh failed")]
    private partial void LogRefreshException(Exception exception, string feedUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FeedUrl}: {ParseWarning}")]
    private partial void LogParseWarning(string feedUrl, string parseWarning);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{FeedUrl}: {New} new, {Updated} updated, {Unchanged} unchanged, {Duplicates} duplicates, {NearDuplicates} near duplicates, {Filtered} filtered")]
    private partial void LogStored(string feedUrl, int @new, int updated, int unchanged, int duplicates, int nearDuplicates, int filtered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FeedUrl}: {WarningCount} warnings, first: {Warning}")]
    private partial void LogWarnings(string feedUrl, int warningCount, string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FeedUrl}: {Error}; next attempt at {NextAttempt:u}")]
    private partial void LogFetchFailedUntil(string feedUrl, string error, DateTimeOffset nextAttempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FeedUrl}: {Error}")]
    private partial void LogFetchFailed(string feedUrl, string error);
}
