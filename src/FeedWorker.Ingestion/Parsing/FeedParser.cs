using CodeHollow.FeedReader;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>First cut: CodeHollow.FeedReader as it is. Hardening replaces this.</summary>
public sealed class FeedParser : IFeedParser
{
    public ParseResult Parse(FeedDocument document)
    {
        try
        {
            var feed = FeedReader.ReadFromByteArray(document.Content.ToArray());
            var format = feed.Type switch
            {
                FeedType.Atom => FeedFormat.Atom10,
                FeedType.Rss_1_0 => FeedFormat.Rss10,
                FeedType.Rss_0_91 or FeedType.Rss_0_92 => FeedFormat.Rss09x,
                _ => FeedFormat.Rss20,
            };
            var articles = feed.Items.Select(i => new ParsedArticle
            {
                Guid = i.Id,
                Url = i.Link,
                Title = i.Title,
                Author = i.Author,
                Published = i.PublishingDate,
                Summary = i.Description,
                ContentHtml = i.Content ?? i.Description,
                Categories = i.Categories.ToList(),
            }).ToList();
            return ParseResult.Success(new ParsedFeed { Format = format, Title = feed.Title, Link = feed.Link, Articles = articles }, []);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ParseResult.Failure(e.Message, []);
        }
    }
}
