namespace FeedWorker.Ingestion.Fetching;

/// <summary>One feed fetch for <see cref="FeedFetcher.FetchAsync"/>.</summary>
/// <param name="Url">The feed's URL, or a file path.</param>
/// <param name="ETag">The validator from the last successful fetch, sent as If-None-Match.</param>
/// <param name="LastModified">The validator from the last successful fetch, sent as If-Modified-Since.</param>
/// <param name="Options">The feed's credentials, headers and proxy; null: none, the default proxy.</param>
public sealed record FetchRequest(string Url, string? ETag = null, string? LastModified = null, FeedRequestOptions? Options = null);
