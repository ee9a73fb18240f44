using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion;

/// <summary>Parses a fetched document and cleans every article: the part of the pipeline between bytes and records.</summary>
public sealed class FeedDocumentProcessor(IFeedParser parser, IHtmlCleaner cleaner)
{
    /// <summary>
    /// Parsing and cleaning are pure CPU: more of them at once than there are cores only adds garbage-collection
    /// stalls and lock convoys (AngleSharp's shared pools) while fetching and storing wait on I/O.
    /// </summary>
    private readonly SemaphoreSlim _cores = new(Environment.ProcessorCount);

    /// <summary><see cref="Process"/>, at most one document per core at a time across all callers.</summary>
    public async Task<ParseResult> ProcessAsync(FeedDocument document, CancellationToken cancellationToken)
    {
        await _cores.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Process(document);
        }
        finally
        {
            _cores.Release();
        }
    }

    public ParseResult Process(FeedDocument document)
    {
        var result = parser.Parse(document);
        if (result.Feed is not { } feed)
        {
            return result;
        }
        var warnings = result.Warnings.ToList();
        var cleaned = feed.Articles.Select((a, i) => WithoutUserInfo(Clean(a, i, document.DocumentUrl, warnings))).ToList();
        var link = TrackingParameterFilter.WithoutTracking(feed.Link is null ? null : UrlUserInfo.Strip(feed.Link));
        return result with { Feed = feed with { Link = link, Articles = cleaned }, Warnings = warnings };
    }

    /// <summary>Credentials written into an item's links are never stored or printed.</summary>
    private static ParsedArticle WithoutUserInfo(ParsedArticle article) => article with
    {
        Url = article.Url is null ? null : UrlUserInfo.Strip(article.Url),
        Enclosures = article.Enclosures.Select(e => e with { Url = UrlUserInfo.Strip(e.Url) }).ToList(),
    };

    private ParsedArticle Clean(ParsedArticle published, int index, Uri documentUrl, List<string> warnings)
    {
        // the guid is an identifier, never rewritten; the link is what a reader opens, so trackers go
        var article = published with { Url = TrackingParameterFilter.WithoutTracking(published.Url) };
        if (string.IsNullOrEmpty(article.ContentHtml))
        {
            return article;
        }
        // a file's own file: URL is no base a reader can follow: relative links stay as written, and the feed is told
        var baseUrl = article.BaseUrl ?? documentUrl;
        var clean = cleaner.Clean(article.ContentHtml, WebAddress.Is(baseUrl) ? baseUrl : null);
        if (clean.UnresolvedLinks > 0)
        {
            var label = string.IsNullOrWhiteSpace(article.Title) ? $"item {index + 1}" : $"item {index + 1} ('{article.Title}')";
            warnings.Add($"{label}: {clean.UnresolvedLinks} relative link(s) such as '{clean.FirstUnresolvedLink}' cannot be resolved: the feed has no web address "
                + "(no http(s) site link; set the feed's BaseUrl); kept as written");
        }
        return article with { ContentHtml = clean.Html, ContentText = clean.Text };
    }
}
