using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion;

/// <summary>Parses a fetched document and cleans every article: the part of the pipeline between bytes and records.</summary>
public sealed class FeedDocumentProcessor(IFeedParser parser, IHtmlCleaner cleaner)
{
    public ParseResult Process(FeedDocument document)
    {
        var result = parser.Parse(document);
        if (result.Feed is not { } feed)
        {
            return result;
        }
        var warnings = result.Warnings.ToList();
        var cleaned = feed.Articles.Select((a, i) => Clean(a, i, document.DocumentUrl, warnings)).ToList();
        return result with { Feed = feed with { Link = TrackingParameterFilter.WithoutTracking(feed.Link), Articles = cleaned }, Warnings = warnings };
    }

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
