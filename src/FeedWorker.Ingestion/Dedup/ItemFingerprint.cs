using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
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
    /// <remarks>
    /// SHA-256 of the fields as a JSON array, written as it has always been: a new encoding would make every stored item
    /// look changed once.
    /// </remarks>
    public static string Of(ParsedArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        object?[] fields =
        [
            article.Guid, article.Url, article.Title, article.Author, article.Published?.UtcTicks, article.Updated?.UtcTicks,
            article.Summary, article.ContentHtml, article.ContentText, article.Language, article.Categories,
            article.Enclosures.Select(e => new object?[] { e.Url, e.Type, e.Length }),
        ];
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(fields)));
    }

    /// <summary>
    /// The item as the feed published it, before its HTML is cleaned, with the base its links resolve against and the
    /// cleaner that would clean it. A stored item with an equal one would clean to what is stored, so it is not cleaned
    /// again: on a changed feed most items are the ones already stored.
    /// </summary>
    /// <remarks>
    /// Each field is hashed as it is, behind a tag and its length, rather than written as JSON first: escaping the
    /// published HTML for JSON was nearly all this fingerprint cost. Unlike the stored one, its encoding may change, as
    /// it holds this assembly's identity: every build gives every item a new one anyway.
    /// </remarks>
    /// <param name="published">The item with its links final (credentials and trackers removed) and its HTML as published.</param>
    /// <param name="baseUrl">The base the cleaner resolves the item's relative links against.</param>
    public static string BeforeCleaning(ParsedArticle published, Uri? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(published);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var text in (ReadOnlySpan<string?>)[Cleaner, baseUrl?.AbsoluteUri, published.Guid, published.Url, published.Title, published.Author])
        {
            Add(hash, text);
        }
        Add(hash, published.Published?.UtcTicks);
        Add(hash, published.Updated?.UtcTicks);
        foreach (var text in (ReadOnlySpan<string?>)[published.Summary, published.ContentHtml, published.ContentText, published.Language])
        {
            Add(hash, text);
        }
        Add(hash, published.Categories.Count);
        foreach (var category in published.Categories)
        {
            Add(hash, category);
        }
        Add(hash, published.Enclosures.Count);
        foreach (var enclosure in published.Enclosures)
        {
            Add(hash, enclosure.Url);
            Add(hash, enclosure.Type);
            Add(hash, enclosure.Length);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private const byte Null = 0;
    private const byte Text = 1;
    private const byte Number = 2;

    /// <summary>A tag, the length in UTF-16 code units and the code units: no two lists of fields hash the same bytes.</summary>
    private static void Add(IncrementalHash hash, string? value)
    {
        Span<byte> head = stackalloc byte[1 + sizeof(int)];
        if (value is null)
        {
            head[0] = Null;
            hash.AppendData(head[..1]);
            return;
        }
        head[0] = Text;
        BinaryPrimitives.WriteInt32LittleEndian(head[1..], value.Length);
        hash.AppendData(head);
        hash.AppendData(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    private static void Add(IncrementalHash hash, long? value)
    {
        Span<byte> bytes = stackalloc byte[1 + sizeof(long)];
        bytes[0] = value is null ? Null : Number;
        BinaryPrimitives.WriteInt64LittleEndian(bytes[1..], value ?? 0);
        hash.AppendData(value is null ? bytes[..1] : bytes);
    }
}
