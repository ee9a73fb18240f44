using FeedWorker.Ingestion.Dedup;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// The one boundary every parsed feed passes, whatever its format: every text field made storable
/// (<see cref="StorableText"/>) and every date plausible, each change reported as a warning naming
/// the item's key. Readers may return anything; what leaves the parser can be written.
/// </summary>
public static class StorableFeed
{
    /// <summary>Earliest plausible date: feeds did not exist before it, and year-1 placeholders fall below it.</summary>
    public static readonly DateTimeOffset EarliestDate = DateTimeOffset.UnixEpoch;

    /// <summary>How far ahead of now a date may lie (time zones and clock skew), beyond which it is a mistake or a placeholder.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    public static ParsedFeed Of(ParsedFeed feed, DateTimeOffset now, List<string> warnings)
    {
        var fields = new List<string>();
        var updated = Plausible(feed.Updated, "updated", now, fields);
        var clean = feed with
        {
            Title = Text(feed.Title, "title", fields),
            Link = Text(feed.Link, "link", fields),
            Description = Text(feed.Description, "description", fields),
            Language = Text(feed.Language, "language", fields),
            Updated = updated,
            Articles = feed.Articles.Select(a => Article(a, now, warnings)).ToList(),
        };
        Report("feed", fields, warnings);
        return clean;
    }

    private static ParsedArticle Article(ParsedArticle article, DateTimeOffset now, List<string> warnings)
    {
        var fields = new List<string>();
        var clean = article with
        {
            Guid = Text(article.Guid, "guid", fields),
            Url = Text(article.Url, "link", fields),
            Title = Text(article.Title, "title", fields),
            Author = Text(article.Author, "author", fields),
            Summary = Text(article.Summary, "summary", fields),
            ContentHtml = Text(article.ContentHtml, "content", fields),
            ContentText = Text(article.ContentText, "content text", fields),
            Language = Text(article.Language, "language", fields),
            Published = Plausible(article.Published, "published date", now, fields),
            Updated = Plausible(article.Updated, "updated date", now, fields),
            Categories = Texts(article.Categories, fields),
            Enclosures = Enclosures(article.Enclosures, fields),
        };
        if (fields.Count > 0)
        {
            Report($"item {ItemKeys.For(clean)}", fields, warnings);
        }
        return clean;
    }

    private static void Report(string what, List<string> fields, List<string> warnings)
    {
        if (fields.Count > 0)
        {
            warnings.Add($"{what}: {string.Join("; ", fields)}");
        }
    }

    private static string? Text(string? text, string field, List<string> fields)
    {
        if (text is null)
        {
            return null;
        }
        var clean = StorableText.Clean(text);
        if (!ReferenceEquals(clean, text))
        {
            fields.Add($"NUL or unpaired surrogate characters removed from the {field}");
        }
        return clean;
    }

    private static IReadOnlyList<string> Texts(IReadOnlyList<string> texts, List<string> fields)
    {
        var clean = texts.Select(StorableText.Clean).ToList();
        if (clean.Where((c, i) => !ReferenceEquals(c, texts[i])).Any())
        {
            fields.Add("NUL or unpaired surrogate characters removed from the categories");
        }
        return clean;
    }

    private static IReadOnlyList<ArticleEnclosure> Enclosures(IReadOnlyList<ArticleEnclosure> enclosures, List<string> fields)
    {
        if (enclosures.Count == 0)
        {
            return enclosures;
        }
        var clean = enclosures.Select(e => e with { Url = StorableText.Clean(e.Url), Type = StorableText.CleanOrNull(e.Type) }).ToList();
        if (!clean.SequenceEqual(enclosures))
        {
            fields.Add("NUL or unpaired surrogate characters removed from the enclosures");
        }
        return clean;
    }

    /// <summary>Null for a date before 1970 or more than a day ahead (year-1 placeholders, typos): an unknown date, not a wrong one.</summary>
    private static DateTimeOffset? Plausible(DateTimeOffset? date, string field, DateTimeOffset now, List<string> fields)
    {
        if (date is not { } d || (d >= EarliestDate && d <= now + FutureTolerance))
        {
            return date;
        }
        fields.Add($"implausible {field} {d.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} dropped (before 1970 or more than a day ahead)");
        return null;
    }
}
