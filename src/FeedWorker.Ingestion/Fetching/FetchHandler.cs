using System.Net;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>The socket handler every fetch client is built on, and the proxy it may go through.</summary>
internal static class FetchHandler
{
    public static SocketsHttpHandler Create(FetcherOptions options, Uri? proxy) => new()
    {
        AllowAutoRedirect = false, // redirects are followed by hand: hop limit, loops, permanent-move detection, credentials per origin
        // gzip and Brotli are decoded by the fetcher, which also detects a truncated stream
        AutomaticDecompression = DecompressionMethods.Deflate,
        ConnectTimeout = options.ConnectTimeout,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxResponseHeadersLength = 64, // KiB
        // null keeps the runtime's default: the HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY variables
        Proxy = proxy is null ? null : Proxy(proxy),
    };

    /// <summary>
    /// http, https and socks5 proxies (SocketsHttpHandler speaks all three); credentials in the proxy
    /// URL are passed as credentials, never as part of an address that could be printed.
    /// </summary>
    public static IWebProxy Proxy(Uri proxy) => new WebProxy(UrlUserInfo.Strip(proxy))
    {
        Credentials = UrlUserInfo.Credentials(proxy) is var (user, password) ? new NetworkCredential(user, password ?? "") : null,
    };
}
