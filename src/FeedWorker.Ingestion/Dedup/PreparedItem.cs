using FeedWorker.Ingestion.Parsing;
using Canonical = FeedWorker.Ingestion.Dedup.CanonicalUrl;
using Hashing = FeedWorker.Ingestion.Dedup.ContentHash;
using Near = FeedWorker.Ingestion.Dedup.SimHash;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>
/// A parsed article with every dedup key computed once (<see cref="PreparedItems.Of"/>), ready for the
/// store's set-based statements, which only write and match them (README.md here: where each layer is matched).
/// </summary>
public sealed record PreparedItem(
    ParsedArticle Article, string ItemKey, string Fingerprint, string? CanonicalUrl, string? ContentHash, long? SimHash, int[]? Bands)
{
    /// <param name="article">The item as the feed published it, cleaned.</param>
    /// <param name="itemKey"><see cref="ItemKeys.For"/> of <paramref name="article"/>, which the caller has already.</param>
    internal static PreparedItem From(ParsedArticle article, string itemKey)
    {
        var (contentHash, simHash) = ContentKeys(article.ContentText);
        return new PreparedItem(
            article,
            itemKey,
            ItemFingerprint.Of(article),
            // a longer canonical URL skips layer 2: a hostile feed must not make the whole batch fail
            Canonical.From(article.Url) is { } canonical && IndexedUrl.Fits(canonical) ? canonical : null,
            contentHash,
            simHash,
            simHash is { } h ? Near.Bands(h) : null);
    }

    /// <summary>
    /// The item with other content, e.g. its article page's, and the content keys (layers 3 and 4) of that content. The
    /// key and fingerprint stay the feed's item's, so an unchanged item stays unchanged whether or not its page was
    /// fetched.
    /// </summary>
    public PreparedItem WithContent(string html, string text)
    {
        var (contentHash, simHash) = ContentKeys(text);
        return this with
        {
            Article = Article with { ContentHtml = html, ContentText = text },
            ContentHash = contentHash,
            SimHash = simHash,
            Bands = simHash is { } h ? Near.Bands(h) : null,
        };
    }

    /// <summary>Layers 3 and 4 from one normalization of the text (<see cref="Hashing.Of"/>, <see cref="Near.Of"/>).</summary>
    private static (string? ContentHash, long? SimHash) ContentKeys(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return (null, null);
        }
        var normalized = NormalizedText.Rent(text, out var buffer);
        try
        {
            var simHash = Near.OfNormalized(normalized);
            // last: it collapses the buffer's whitespace in place
            return (Hashing.OfNormalized(buffer.AsSpan(0, normalized.Length)), simHash);
        }
        finally
        {
            NormalizedText.Return(buffer);
        }
    }

    /// <summary>The feed's item before cleaning (<see cref="ParsedArticle.SourceFingerprint"/>); null for an article built elsewhere.</summary>
    public string? SourceFingerprint => Article.SourceFingerprint;
}
