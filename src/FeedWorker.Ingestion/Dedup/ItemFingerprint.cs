using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>SHA-256 over every field of an item that is stored: two fingerprints of one item, before and after cleaning.</summary>
public static class ItemFingerprint
{
    /// <summary>
    /// The cleaning code: this assembly (deterministic builds give it a new identity only when its code
    /// changes) and the HTML libraries it calls. A new cleaner cleans every item once more.
    /// </summary>
    private static readonly string Cleaner = string.Join(
        '|',
        typeof(ItemFingerprint).Assembly.ManifestModule.ModuleVersionId,
        typeof(AngleSharp.IConfiguration).Assembly.GetName().Version,
        typeof(Ganss.Xss.HtmlSanitizer).Assembly.GetName().Version);

    /// <summary>The item as it is stored: an equal fingerprint means there is nothing to write.</summary>
    public static string Of(ParsedArticle article) => Hash(article, []);

    /// <summary>
    /// The item as the feed published it, before its HTML is cleaned, with the base its links resolve against and the
    /// cleaner that would clean it. A stored item with an equal one would clean to what is stored, so it is not cleaned
    /// again: on a changed feed most items are the ones already stored.
    /// </summary>
    /// <param name="published">The item with its links final (credentials and trackers removed) and its HTML as published.</param>
    /// <param name="baseUrl">The base the cleaner resolves the item's relative links against.</param>
    public static string BeforeCleaning(ParsedArticle published, Uri? baseUrl) => Hash(published, [Cleaner, baseUrl?.AbsoluteUri], Unescaped);

    /// <summary>
    /// JSON that escapes only what JSON requires. The stored fingerprint (<see cref="Of"/>) keeps the default encoder:
    /// a new encoding would make every stored item look changed once. The one before cleaning holds this assembly's
    /// identity, so it changes with every build anyway; writing "&lt;" as "<" was most of what it cost.
    /// </summary>
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Hash(ParsedArticle a, object?[] context, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        object?[] fields =
        [
            .. context,
            a.Guid, a.Url, a.Title, a.Author, a.Published?.UtcTicks, a.Updated?.UtcTicks, a.Summary, a.ContentHtml, a.ContentText,
            a.Language, a.Categories, a.Enclosures.Select(e => new object?[] { e.Url, e.Type, e.Length }),
        ];
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(fields, options)));
    }
}
