using Microsoft.Extensions.Options;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// The one fetcher behind `parse URL`, `once` and the scheduled worker: a feed's bytes by hardened
/// HTTP(S) through the named client <see cref="ClientName"/>, and from file:// URLs or plain paths with
/// the same size limit.
/// </summary>
public sealed class FeedFetcher
{
    public const string ClientName = "FeedWorker.Feeds";

    private const string Accept =
        "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

    private readonly FeedClients _clients;
    private readonly HttpDocumentFetcher _http;
    private readonly long _maxBodyBytes;

    // internal: its parts are internal types, so the host gets it from AddFeedIngestion
    internal FeedFetcher(FeedClients clients, HttpDocumentFetcher http, IOptions<FetcherOptions> options)
    {
        _clients = clients;
        _http = http;
        _maxBodyBytes = options.Value.MaxBodyBytes;
    }

    public async Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        Uri url;
        try
        {
            url = FeedLocation.Resolve(request.Url);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or UriFormatException)
        {
            return new FetchResult
            {
                Outcome = FetchOutcome.Failed,
                FinalUrl = new Uri("about:blank"),
                ErrorKind = FeedErrorKind.InvalidUrl,
                Error = $"{UrlUserInfo.Strip(request.Url)}: not an http(s) URL, file:// URL or path ({ex.Message})",
            };
        }
        if (url.IsFile)
        {
            return await FileFetch.ReadAsync(url, _maxBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        var feedOptions = WithUrlCredentials(request.Options, url);
        return await _http.FetchAsync(_clients.For(feedOptions?.Proxy), url, Accept, request.ETag, request.LastModified, feedOptions, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Credentials written into the URL itself are used as the feed's basic auth (unless it has its own), never sent in the URL.</summary>
    private static FeedRequestOptions? WithUrlCredentials(FeedRequestOptions? options, Uri url)
    {
        if (UrlUserInfo.Credentials(url) is not var (user, password)) return options;
        var origin = UrlUserInfo.Strip(url);
        return options is null
            ? new FeedRequestOptions { Origin = origin, Username = user, Password = password }
            : options.Username is null && options.Password is null ? options with { Username = user, Password = password } : options;
    }
}
