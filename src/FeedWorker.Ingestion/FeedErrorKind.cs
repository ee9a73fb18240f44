namespace FeedWorker.Ingestion;

/// <summary>
/// Why refreshing a feed failed: what the fetcher reports, what <c>feeds.last_error_kind</c> stores and
/// what the <c>error_kind</c> metric label says, one vocabulary. It lives here, below Storage and the
/// host, because the fetcher produces most of it; <see cref="FeedErrorKindText"/> gives the text.
/// </summary>
public enum FeedErrorKind
{
    /// <summary>4xx other than 401, 403, 404, 410 and 429: fix the feed URL.</summary>
    ClientError,
    /// <summary>5xx (503 may carry <see cref="Fetching.FetchResult.RetryAfter"/>): try again later.</summary>
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
    /// <summary>429: slow down; see <see cref="Fetching.FetchResult.RetryAfter"/>.</summary>
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
    /// <summary>The document arrived but is not a feed (RSS, Atom, RDF or JSON Feed) the parser can read.</summary>
    Parse,
    /// <summary>PostgreSQL is down, saturated or timed out while the worker handled the feed: not the feed's fault.</summary>
    Database,
    /// <summary>An unexpected exception inside the worker's own pipeline (a bug or an unforeseen input).</summary>
    Internal,
}

/// <summary>
/// The one text of each <see cref="FeedErrorKind"/>, stored in <c>feeds.last_error_kind</c> and used as the
/// <c>error_kind</c> metric label. Spelled out, not <c>ToString()</c>: users' databases hold these texts
/// (the fetch kinds as their names, the worker's own in lower case), so renaming a member must not change them.
/// </summary>
public static class FeedErrorKindText
{
    // no default arm: a member added without a text fails the build (CS8509); an undefined value throws
#pragma warning disable CS8524
    public static string Of(FeedErrorKind kind) => kind switch
#pragma warning restore CS8524
    {
        FeedErrorKind.ClientError => "ClientError",
        FeedErrorKind.ServerError => "ServerError",
        FeedErrorKind.Gone => "Gone",
        FeedErrorKind.Timeout => "Timeout",
        FeedErrorKind.Network => "Network",
        FeedErrorKind.TooLarge => "TooLarge",
        FeedErrorKind.TooManyRedirects => "TooManyRedirects",
        FeedErrorKind.InvalidUrl => "InvalidUrl",
        FeedErrorKind.NotFound => "NotFound",
        FeedErrorKind.RateLimited => "RateLimited",
        FeedErrorKind.Blocked => "Blocked",
        FeedErrorKind.NameResolution => "NameResolution",
        FeedErrorKind.ConnectionRefused => "ConnectionRefused",
        FeedErrorKind.ConnectionReset => "ConnectionReset",
        FeedErrorKind.Tls => "Tls",
        FeedErrorKind.Protocol => "Protocol",
        FeedErrorKind.Unauthorized => "Unauthorized",
        FeedErrorKind.Truncated => "Truncated",
        FeedErrorKind.Parse => "parse",
        FeedErrorKind.Database => "database",
        FeedErrorKind.Internal => "internal",
    };
}
