using AngleSharp.Html.Parser;
using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>JSON Feed 1.0/1.1 through CodeHollow.FeedReader, normalized like the XML formats.</summary>
internal static class JsonFeedReader
{
    public static ParseResult Read(string json, Uri documentUrl, List<string> warnings, HtmlParser html)
    {
        Feed feed;
        try
        {
            feed = FeedReader.ReadFromString(json);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ParseResult.Failure($"invalid JSON Feed: {e.Message}", warnings);
        }
        if (feed.SpecificFeed is not JsonFeed jsonFeed)
        {
            return ParseResult.Failure("the JSON document is not a JSON Feed", warnings);
        }
        // a file has no web address: relative URLs resolve against the feed's home page, as for RSS and Atom
        var linkBase = !WebAddress.Is(documentUrl) && Uri.TryCreate(jsonFeed.HomePageUrl?.Trim(), UriKind.Absolute, out var home) && WebAddress.Is(home)
            ? home : documentUrl;
        var articles = jsonFeed.Items.OfType<JsonFeedItem>().Select((item, index) =>
        {
            var flattened = false;
            var contentHtml = item.ContentHtml is { } published ? ParserInput.Prepare(published, out flattened)
                : item.ContentText is { } t ? FeedText.TextToHtml(t) : null;
            if (flattened)
            {
                warnings.Add($"item {index + 1}, content_html: HTML nested deeper than {HtmlNesting.MaxDepth} levels was flattened");
            }
            var summary = item.Summary ?? item.ContentText ?? (item.ContentHtml is not null ? FeedText.HtmlToText(html, contentHtml!) : null);
            return new ParsedArticle
            {
                Guid = item.Id,
                Url = Absolute(item.Url, linkBase) ?? Absolute(item.ExternalUrl, linkBase),
                Title = item.Title is { } title ? FeedText.HtmlToText(html, title) : null,
                Author = AuthorName.From(item.Authors?.Select(a => a.Name).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))
                    ?? jsonFeed.Authors?.Select(a => a.Name).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))),
                Published = FeedDateParser.Parse(item.DatePublishedString, $"item {index + 1}, date_published", warnings),
                Updated = FeedDateParser.Parse(item.DateModifiedString, $"item {index + 1}, date_modified", warnings),
                Summary = summary is null ? null : FeedText.Collapse(summary),
                ContentHtml = contentHtml,
                Language = item.Language,
                BaseUrl = linkBase,
                Categories = item.Tags?.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct().ToList() ?? [],
                Enclosures = (item.Attachments ?? [])
                    .Select(a => Absolute(a.Url, linkBase) is { } u ? new ArticleEnclosure(u, a.MimeType, a.SizeInBytes) : null)
                    .OfType<ArticleEnclosure>().DistinctBy(e => e.Url).ToList(),
            };
        }).ToList();
        return ParseResult.Success(new ParsedFeed
        {
            Format = FeedFormat.JsonFeed,
            Title = jsonFeed.Title,
            Link = Absolute(jsonFeed.HomePageUrl, linkBase),
            Description = jsonFeed.Description,
            Language = jsonFeed.Language,
            Articles = articles,
        }, warnings);
    }

    private static string? Absolute(string? url, Uri baseUrl) =>
        string.IsNullOrWhiteSpace(url) ? null : Uri.TryCreate(baseUrl, url.Trim(), out var u) ? u.AbsoluteUri : url;
}
