using System.Security.Cryptography;
using System.Text.Json;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>
/// An item as the feed published it, before its HTML is cleaned, together with the base its links resolve
/// against and the cleaner that would clean it. A stored item with an equal source fingerprint would clean to
/// what is stored, so it is not cleaned again: on a changed feed most items are the ones already stored.
/// </summary>
public static class SourceFingerprint
{
    /// <summary>
    /// The cleaning code: this assembly (deterministic builds give it a new identity only when its code
    /// changes) and the HTML libraries it calls. A new cleaner cleans every item once more.
    /// </summary>
    private static readonly string Cleaner = string.Join(
        '|',
        typeof(SourceFingerprint).Assembly.ManifestModule.ModuleVersionId,
        typeof(AngleSharp.IConfiguration).Assembly.GetName().Version,
        typeof(Ganss.Xss.HtmlSanitizer).Assembly.GetName().Version);

    /// <param name="published">The item with its links final (credentials and trackers removed) and its HTML as published.</param>
    /// <param name="baseUrl">The base the cleaner resolves the item's relative links against.</param>
    public static string Of(ParsedArticle published, Uri? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(published);
        var source = new object?[]
        {
            Cleaner, baseUrl?.AbsoluteUri,
            published.Guid, published.Url, published.Title, published.Author, published.Published?.UtcTicks, published.Updated?.UtcTicks,
            published.Summary, published.ContentHtml, published.ContentText, published.Language, published.Categories,
            published.Enclosures.Select(e => new object?[] { e.Url, e.Type, e.Length }),
        };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(source)));
    }
}
