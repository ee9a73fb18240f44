using FeedWorker.Ingestion;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Parsing;
using FeedWorker.Storage;
using Microsoft.Extensions.Logging;

namespace FeedWorker.Refresh;

/// <summary>
/// One feed, once: fetch (conditional), parse and clean, store, and record the feed's state. Never
/// throws for a bad feed: the outcome carries the error, so one feed cannot stop the others.
/// </summary>
public sealed class FeedRefresher(
    IFeedFetcher fetcher, FeedDocumentProcessor processor, ArticleStore articles, FeedStore feeds, TimeProvider time,
    ILogger<FeedRefresher> logger)
{
    public async Task<FeedRefreshOutcome> RefreshAsync(FeedSubscription feed, CancellationToken cancellationToken)
    {
        try
        {
            return await RefreshCoreAsync(feed, cancellationToken);
        }
        catch (Exception e) when (StorageUnavailableException.IsUnavailable(e))
        {
            logger.LogError("{FeedUrl}: database unavailable: {Reason}", feed.Url, StorageUnavailableException.Describe(e));
            return FeedRefreshOutcome.Failed(feed.Url, $"database unavailable: {StorageUnavailableException.Describe(e)}", storageUnavailable: true);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "{FeedUrl}: refresh failed", feed.Url);
            return FeedRefreshOutcome.Failed(feed.Url, StorageUnavailableException.Describe(e));
        }
    }

    private async Task<FeedRefreshOutcome> RefreshCoreAsync(FeedSubscription feed, CancellationToken cancellationToken)
    {
        FetchResult fetched;
        try
        {
            fetched = await fetcher.FetchAsync(new FetchRequest(feed.Url, feed.ETag, feed.LastModified), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or UriFormatException
                                      or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // the first-cut fetcher throws; the hardened one returns Failed results
            return await FailAsync(feed, null, e.Message, e is FileNotFoundException or DirectoryNotFoundException ? FetchErrorKind.NotFound : FetchErrorKind.Network, null, cancellationToken);
        }

        switch (fetched.Outcome)
        {
            case FetchOutcome.NotModified:
                await feeds.RecordNotModifiedAsync(feed.Id, fetched.StatusCode, fetched.MaxAge, cancellationToken);
                return new FeedRefreshOutcome(feed.Url, FeedRefreshStatus.NotModified, StoreResult.Empty, null);
            case FetchOutcome.Failed:
                return await FailAsync(feed, fetched.StatusCode, fetched.Error ?? $"fetch failed ({fetched.ErrorKind})", fetched.ErrorKind, fetched.RetryAfter, cancellationToken);
        }

        var parsed = processor.Process(new FeedDocument(fetched.Body, fetched.ContentType, fetched.FinalUrl));
        if (parsed.Feed is not { } document)
        {
            return await FailAsync(feed, fetched.StatusCode, $"not a feed: {parsed.Error}", FetchErrorKind.None, null, cancellationToken, "parse");
        }
        var state = new FeedFetchSuccess(
            fetched.StatusCode, fetched.ETag, fetched.LastModified, document.Title, document.Link,
            document.RefreshHints.TimeToLive, document.RefreshHints.UpdateInterval, fetched.MaxAge, fetched.PermanentRedirect?.AbsoluteUri);
        var stored = await articles.StoreAsync(feed.Id, document.Articles, state, cancellationToken);
        logger.LogInformation(
            "{FeedUrl}: {New} new, {Updated} updated, {Unchanged} unchanged, {Duplicates} duplicates, {NearDuplicates} near duplicates",
            feed.Url, stored.New, stored.Updated, stored.Unchanged, stored.Duplicates, stored.NearDuplicates);
        return new FeedRefreshOutcome(feed.Url, FeedRefreshStatus.Stored, stored, null);
    }

    private async Task<FeedRefreshOutcome> FailAsync(
        FeedSubscription feed, int? status, string error, FetchErrorKind kind, TimeSpan? retryAfter, CancellationToken cancellationToken,
        string? kindName = null)
    {
        logger.LogWarning("{FeedUrl}: {Error}", feed.Url, error);
        var until = retryAfter is { } wait ? time.GetUtcNow().UtcDateTime + wait : (DateTime?)null;
        await feeds.RecordFailureAsync(feed.Id, status, error, kindName ?? kind.ToString(), until, cancellationToken);
        return FeedRefreshOutcome.Failed(feed.Url, error);
    }
}
