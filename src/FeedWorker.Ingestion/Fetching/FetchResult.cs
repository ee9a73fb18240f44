namespace FeedWorker.Ingestion.Fetching;

public enum FetchOutcome
{
    /// <summary>A body arrived and should be parsed.</summary>
    Fetched,
    /// <summary>304: the feed has not changed since the validators we sent.</summary>
    NotModified,
    /// <summary>The fetch failed; see <see cref="FetchResult.Error"/>.</summary>
    Failed,
}

/// <summary>What one fetch produced, including everything the feed's state row needs.</summary>
public sealed record FetchResult
{
    public required FetchOutcome Outcome { get; init; }
    /// <summary>Where the body finally came from, after redirects: the document URL for parsing.</summary>
    public required Uri FinalUrl { get; init; }
    public ReadOnlyMemory<byte> Body { get; init; }
    public string? ContentType { get; init; }
    public int? StatusCode { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    /// <summary>Set when a 301 or 308 moved the feed: use this URL from now on.</summary>
    public Uri? PermanentRedirect { get; init; }
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>Cache-Control max-age, a hint for the scheduler.</summary>
    public TimeSpan? MaxAge { get; init; }
    public string? Error { get; init; }
    public FetchErrorKind ErrorKind { get; init; }
}

public enum FetchErrorKind
{
    None,
    /// <summary>4xx other than 410, 429.</summary>
    ClientError,
    /// <summary>5xx, 429: try again later.</summary>
    ServerError,
    /// <summary>410: the publisher says the feed is gone for good.</summary>
    Gone,
    Timeout,
    Network,
    TooLarge,
    TooManyRedirects,
    InvalidUrl,
    NotFound,
}
