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
        var cleaned = feed.Articles.Select(a => Clean(a, document.DocumentUrl)).ToList();
        return result with { Feed = feed with { Articles = cleaned } };
    }

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
