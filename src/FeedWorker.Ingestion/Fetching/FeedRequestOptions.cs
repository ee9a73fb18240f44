using System.Text;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// A feed's own request settings: basic-auth credentials and custom headers, sent only to
/// <see cref="Origin"/> (the configured feed URL's scheme, host and port), and a proxy for every
/// request of the feed. Secrets come from configuration and are never printed: <see cref="ToString"/>
/// names which settings are present, not their values.
/// </summary>
public sealed record FeedRequestOptions
{
    /// <summary>The origin credentials and headers belong to; any other origin gets neither.</summary>
    public required Uri Origin { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    /// <summary>http, https or socks5 proxy for this feed's requests; null: the fetcher's default.</summary>
    public Uri? Proxy { get; init; }

    public bool HasCredentials => Username is not null || Password is not null || Headers.Count > 0;

    /// <summary>Same scheme, host and port as <see cref="Origin"/>.</summary>
    public bool IsOwnOrigin(Uri url) =>
        string.Equals(url.Scheme, Origin.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.IdnHost, Origin.IdnHost, StringComparison.OrdinalIgnoreCase)
        && url.Port == Origin.Port;

    /// <summary>The proxy schemes SocketsHttpHandler speaks.</summary>
    public static bool IsSupportedProxy(Uri proxy) => proxy.IsAbsoluteUri && proxy.Host.Length > 0
        && proxy.Scheme is "http" or "https" or "socks5" or "socks5h" or "socks4" or "socks4a";

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Origin = {Origin.GetLeftPart(UriPartial.Authority)}, Credentials = {(Username is not null || Password is not null ? "set" : "none")}, ");
        builder.Append($"Headers = [{string.Join(", ", Headers.Keys)}], Proxy = {(Proxy is null ? "default" : UrlUserInfo.Strip(Proxy).ToString())}");
        return true;
    }
}
