using System.Text.Json;
using System.Xml;
using AngleSharp.Html.Parser;
using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// JSON Feed 1.0/1.1 through CodeHollow.FeedReader, normalized like the XML formats. The library reads a
/// skeleton of the document (<see cref="JsonFeedSkeleton"/>), so every string it returns goes through
/// <see cref="JsonFeedSkeleton.Text"/>.
/// </summary>
internal static class JsonFeedReader
{
    public static ParseResult Read(string json, Uri documentUrl, List<string> warnings, HtmlParser html)
    {
        JsonFeedSkeleton skeleton;
        Feed feed;
        try
        {
            skeleton = JsonFeedSkeleton.Of(json);
            feed = FeedReader.ReadFromString(skeleton.Json);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // the library's syntax errors can be vague ("The input source is not correctly formatted")
            var cause = e is XmlException or FormatException or JsonException ? JsonFeedSkeleton.SyntaxError(json) : null;
            return ParseResult.Failure($"invalid JSON Feed: {cause ?? e.Message}", warnings);
        }
        if (feed.SpecificFeed is not JsonFeed jsonFeed)
        {
            return ParseResult.Failure("the JSON document is not a JSON Feed", warnings);
        }
        Func<string?, string?> text = skeleton.Text;
        var homePage = text(jsonFeed.HomePageUrl);
        // a file has no web address: relative URLs resolve against the feed's home page, as for RSS and Atom
        var linkBase = !WebAddress.Is(documentUrl) && Uri.TryCreate(homePage?.Trim(), UriKind.Absolute, out var home) && WebAddress.Is(home)
            ? home : documentUrl;
        var feedAuthor = jsonFeed.Authors?.Select(a => text(a.Name)).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));
        var articles = jsonFeed.Items.OfType<JsonFeedItem>().Select((item, index) =>
        {
            var (published, plain) = (text(item.ContentHtml), text(item.ContentText));
            var flattened = false;
            var contentHtml = published is not null ? ParserInput.Prepare(published, out flattened)
                : plain is not null ? FeedText.TextToHtml(plain) : null;
            if (flattened)
            {
                warnings.Add($"item {index + 1}, content_html: HTML nested deeper than {HtmlNesting.MaxDepth} levels was flattened");
            }
            var summary = text(item.Summary) ?? plain ?? (published is not null ? FeedText.HtmlToText(html, contentHtml!) : null);
            return new ParsedArticle
            {
                Guid = text(item.Id),
                Url = Absolute(text(item.Url), linkBase) ?? Absolute(text(item.ExternalUrl), linkBase),
                Title = text(item.Title) is { } title ? FeedText.HtmlToText(html, title) : null,
                Author = AuthorName.From(item.Authors?.Select(a => text(a.Name)).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? feedAuthor),
                Published = FeedDateParser.Parse(text(item.DatePublishedString), $"item {index + 1}, date_published", warnings),
                Updated = FeedDateParser.Parse(text(item.DateModifiedString), $"item {index + 1}, date_modified", warnings),
                Summary = summary is null ? null : FeedText.Collapse(summary),
                ContentHtml = contentHtml,
                Language = text(item.Language),
                BaseUrl = linkBase,
                Categories = item.Tags?.Select(text).OfType<string>().Where(t => !string.IsNullOrWhiteSpace(t)).Distinct().ToList() ?? [],
                Enclosures = (item.Attachments ?? [])
                    .Select(a => Absolute(text(a.Url), linkBase) is { } u ? new ArticleEnclosure(u, text(a.MimeType), a.SizeInBytes) : null)
                    .OfType<ArticleEnclosure>().DistinctBy(e => e.Url).ToList(),
            };
        }).ToList();
        return ParseResult.Success(new ParsedFeed
        {
            Format = FeedFormat.JsonFeed,
            Title = text(jsonFeed.Title),
            Link = Absolute(homePage, linkBase),
            Description = text(jsonFeed.Description),
            Language = text(jsonFeed.Language),
            Articles = articles,
        }, warnings);
    }

    private static string? Absolute(string? url, Uri baseUrl) =>
        string.IsNullOrWhiteSpace(url) ? null : Uri.TryCreate(baseUrl, url.Trim(), out var u) ? u.AbsoluteUri : url;
}
