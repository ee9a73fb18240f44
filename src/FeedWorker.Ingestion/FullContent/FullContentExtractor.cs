using FeedWorker.Ingestion.Fetching;
using Microsoft.Extensions.Logging;

namespace FeedWorker.Ingestion.FullContent;

/// <summary>
/// Fetches an article page through the hardened HTTP path (named client <see cref="ClientName"/>,
/// internal addresses refused at connect time) and extracts its main content with SmartReader.
/// Whether to call it is a per-feed choice of the caller (FetchFullContent).
/// </summary>
public sealed partial class FullContentExtractor
{
    public const string ClientName = "FeedWorker.FullContent";

    private const string Accept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

    private readonly IHttpClientFactory _clients;
    private readonly HttpDocumentFetcher _http;
    private readonly ILogger<FullContentExtractor> _logger;

    internal FullContentExtractor(IHttpClientFactory clients, HttpDocumentFetcher http, ILogger<FullContentExtractor> logger)
    {
        _clients = clients;
        _http = http;
        _logger = logger;
    }

    /// <summary>Never throws for network, HTTP or extraction problems; only when <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="feedOptions">
    /// The feed's credentials and headers, sent only when the page is on the feed's own origin. Its proxy is
    /// not used: the destination check must see the page's real address.
    /// </param>
    public async Task<FullContentResult> ExtractAsync(Uri articleUrl, FeedRequestOptions? feedOptions, CancellationToken cancellationToken)
    {
        articleUrl = UrlUserInfo.Strip(articleUrl);
        var fetched = await _http.FetchAsync(_clients.CreateClient(ClientName), articleUrl, Accept, null, null, feedOptions, cancellationToken)
            .ConfigureAwait(false);
        if (fetched.Outcome != FetchOutcome.Fetched)
        {
            LogFetchFailed(articleUrl, fetched.ErrorKind, fetched.Error);
            return new FullContentResult(articleUrl, fetched.FinalUrl, null, null, fetched.Error, fetched.ErrorKind);
        }

        var html = HtmlDecoding.Decode(fetched.Body.Span, fetched.ContentType);
        try
        {
            // Reader(url, html) parses what we already have; ParseArticle(uri, string) would download again.
            var article = new SmartReader.Reader(fetched.FinalUrl.ToString(), html).GetArticle();
            if (!article.IsReadable || string.IsNullOrWhiteSpace(article.Content))
            {
                var error = $"{fetched.FinalUrl}: no readable main content found";
                LogNoContent(articleUrl, error);
                return new FullContentResult(articleUrl, fetched.FinalUrl, null, null, error, null);
            }
            return new FullContentResult(articleUrl, fetched.FinalUrl, article.Content, article.Title, null, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Hostile markup must not crash the worker: report it like any other failed page.
            var error = $"{fetched.FinalUrl}: content extraction failed ({ex.GetType().Name}: {ex.Message})";
            LogNoContent(articleUrl, error);
            return new FullContentResult(articleUrl, fetched.FinalUrl, null, null, error, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Full content of {ArticleUrl} not fetched ({ErrorKind}): {Error}")]
    private partial void LogFetchFailed(Uri articleUrl, FeedErrorKind? errorKind, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Full content of {ArticleUrl} not extracted: {Error}")]
    private partial void LogNoContent(Uri articleUrl, string error);
}
