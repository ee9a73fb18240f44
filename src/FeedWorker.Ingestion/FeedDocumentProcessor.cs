using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Fetching;
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
        var cleaned = feed.Articles.Select(a => WithoutUserInfo(Clean(a, document.DocumentUrl))).ToList();
        return result with { Feed = feed with { Link = feed.Link is null ? null : UrlUserInfo.Strip(feed.Link), Articles = cleaned } };
    }

    /// <summary>Credentials written into an item's links are never stored or printed.</summary>
    private static ParsedArticle WithoutUserInfo(ParsedArticle article) => article with
    {
        Url = article.Url is null ? null : UrlUserInfo.Strip(article.Url),
        Enclosures = article.Enclosures.Select(e => e with { Url = UrlUserInfo.Strip(e.Url) }).ToList(),
    };

    private ParsedArticle Clean(ParsedArticle article, Uri documentUrl)
    {
        if (string.IsNullOrEmpty(article.ContentHtml))
        {
            return article;
        }
        var clean = cleaner.Clean(article.ContentHtml, article.BaseUrl ?? documentUrl);
        return article with { ContentHtml = clean.Html, ContentText = clean.Text };
    }
}
