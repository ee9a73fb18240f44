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
    public FetchErrorKind ErrorKind { get; init; }
}

public enum FetchErrorKind
{
    None,
    /// <summary>4xx other than 401, 403, 404, 410 and 429: fix the feed URL.</summary>
    ClientError,
    /// <summary>5xx (503 may carry <see cref="FetchResult.RetryAfter"/>): try again later.</summary>
    ServerError,
    /// <summary>410: the publisher says the feed is gone for good; disable it.</summary>
    Gone,
    /// <summary>No complete response within the total timeout, or no connection within the connect timeout.</summary>
    Timeout,
    /// <summary>A network failure none of the kinds below names (host or network unreachable, a file that cannot be read, ...).</summary>
    Network,
    /// <summary>The (decompressed) body exceeds the size limit.</summary>
    TooLarge,
    /// <summary>More redirect hops than allowed, or a redirect loop.</summary>
    TooManyRedirects,
    /// <summary>Not an http(s) URL, a file or a path; or a redirect without a usable Location.</summary>
    InvalidUrl,
    /// <summary>404, or a missing file.</summary>
    NotFound,
    /// <summary>429: slow down; see <see cref="FetchResult.RetryAfter"/>.</summary>
    RateLimited,
    /// <summary>An article page, or a feed redirect leaving the feed's host, resolved to a loopback, private or otherwise internal address.</summary>
    Blocked,
    /// <summary>The host name does not resolve (no such name), or the DNS server failed to answer.</summary>
    NameResolution,
    /// <summary>Nothing accepts connections on the host and port (TCP connection refused).</summary>
    ConnectionRefused,
    /// <summary>The server reset or closed the connection before the response was complete.</summary>
    ConnectionReset,
    /// <summary>The TLS handshake failed: an untrusted, expired or mismatched certificate, or a server that does not speak TLS there.</summary>
    Tls,
    /// <summary>The server answered, but not with valid HTTP.</summary>
    Protocol,
    /// <summary>401 or 403: the server refused the feed's credentials, or wants some and none were sent.</summary>
    Unauthorized,
    /// <summary>A gzip or Brotli body that ends before its compressed stream does (cut mid-transfer), or is corrupt.</summary>
    Truncated,
}
