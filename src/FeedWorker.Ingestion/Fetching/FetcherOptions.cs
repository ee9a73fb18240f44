namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// Limits and politeness settings of the HTTP fetcher, bound from the configuration section
/// <c>FeedWorker:Fetcher</c>. They apply to feed fetches and to full-content (article page) fetches.
/// </summary>
public sealed class FetcherOptions
{
    public const string SectionName = "FeedWorker:Fetcher";

    /// <summary>
    /// User-Agent header. Default: <c>FeedWorker/&lt;assembly version&gt; (+https://github.com/feedworker/feedworker)</c>.
    /// An empty value means the default.
    /// </summary>
    public string? UserAgent { get; set; }

    /// <summary>Total time for one fetch: every retry, every redirect hop and reading the body. Default: 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed to open a TCP (and TLS) connection. Default: 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest body accepted, counted after decompression while streaming, whatever Content-Length says.
    /// Also applies to file:// URLs and paths. Default: 10 MiB.
    /// </summary>
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most redirect hops followed for one fetch. Default: 5.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Most requests in flight to one host (host and port). Default: 2.</summary>
    public int PerHostConcurrency { get; set; } = 2;

    /// <summary>Most requests in flight in the whole process. Default: 32.</summary>
    public int GlobalConcurrency { get; set; } = 32;

    /// <summary>
    /// Retries after a network error or a 5xx (never after a 4xx), within <see cref="Timeout"/>. Default: 2.
    /// </summary>
    public int RetryCount { get; set; } = 2;

    /// <summary>First retry delay; it doubles with each retry and gets jitter. Default: 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest Retry-After the fetcher waits for inside one fetch; a longer one ends the fetch and is
    /// returned in <see cref="FetchResult.RetryAfter"/> for the scheduler. Default: 5 s.
    /// </summary>
    public TimeSpan MaxRetryAfterWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Proxy for feed requests (http, https or socks5 URL, credentials allowed in it); a feed's own
    /// <c>Proxy</c> overrides it. Empty: the HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY variables.
    /// Article pages (full content) never go through a proxy.
    /// </summary>
    public string? Proxy { get; set; }

    internal Uri? DefaultProxy => string.IsNullOrWhiteSpace(Proxy) ? null : new Uri(Proxy.Trim());

    internal string EffectiveUserAgent => string.IsNullOrWhiteSpace(UserAgent) ? DefaultUserAgent : UserAgent;

    internal static string DefaultUserAgent { get; } =
        $"FeedWorker/{typeof(FetcherOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"} (+https://github.com/feedworker/feedworker)";

    internal IEnumerable<string> Validate()
    {
        if (Timeout <= TimeSpan.Zero) yield return "Timeout must be positive";
        if (ConnectTimeout <= TimeSpan.Zero) yield return "ConnectTimeout must be positive";
        if (MaxBodyBytes <= 0) yield return "MaxBodyBytes must be positive";
        if (MaxRedirects < 0) yield return "MaxRedirects must not be negative";
        if (PerHostConcurrency < 1) yield return "PerHostConcurrency must be at least 1";
        if (GlobalConcurrency < 1) yield return "GlobalConcurrency must be at least 1";
        if (RetryCount < 0) yield return "RetryCount must not be negative";
        if (!string.IsNullOrWhiteSpace(Proxy) && !(Uri.TryCreate(Proxy.Trim(), UriKind.Absolute, out var proxy) && FeedRequestOptions.IsSupportedProxy(proxy)))
        {
            yield return $"Proxy: '{UrlUserInfo.Strip(Proxy)}' is not an http, https or socks5 proxy URL";
        }
        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryAfterWait < TimeSpan.Zero) yield return "RetryBaseDelay and MaxRetryAfterWait must not be negative";
    }
}
