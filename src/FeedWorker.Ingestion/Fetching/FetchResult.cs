namespace FeedWorker.Ingestion.Fetching;

public enum FetchOutcome
{
    /// <summary>A body arrived and should be parsed.</summary>
    Fetched,
    /// <summary>304: the feed has not changed since the validators we sent.</summary>
    NotModified,
    /// <summary>The fetch failed; see <see cref="FetchResult.Error"/> and <see cref="FetchResult.ErrorKind"/>.</summary>
    Failed,
}

/// <summary>What one fetch produced, including everything the feed's state row needs.</summary>
public sealed record FetchResult
{
    public required FetchOutcome Outcome { get; init; }
    /// <summary>Where the body finally came from, after redirects: the document URL for parsing.</summary>
    public required Uri FinalUrl { get; init; }
    public ReadOnlyMemory<byte> Body { get; init; }
    /// <summary>The Content-Type header as sent, charset included; a hint only, the parser sniffs the body.</summary>
    public string? ContentType { get; init; }
    public int? StatusCode { get; init; }
    /// <summary>The validator to store; on 304 the one sent, unless the server sent a new one.</summary>
    public string? ETag { get; init; }
    /// <summary>The validator to store; on 304 the one sent, unless the server sent a new one.</summary>
    public string? LastModified { get; init; }
    /// <summary>Set when every redirect hop was a 301 or 308: use this URL for the feed from now on.</summary>
    public Uri? PermanentRedirect { get; init; }
    /// <summary>From Retry-After (seconds or an HTTP date) on a 429 or 503: do not ask again sooner.</summary>
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>Cache-Control max-age, a hint for the scheduler.</summary>
    public TimeSpan? MaxAge { get; init; }
    /// <summary>Names the URL and the cause.</summary>
    public string? Error { get; init; }
    /// <summary>Set when <see cref="Outcome"/> is <see cref="FetchOutcome.Failed"/>: one of the fetch kinds.</summary>
    public FeedErrorKind? ErrorKind { get; init; }
}
