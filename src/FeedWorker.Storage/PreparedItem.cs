using System.Text.Json;
using FeedWorker.Ingestion.Dedup;
using Canonical = FeedWorker.Ingestion.Dedup.CanonicalUrl;
using Hashing = FeedWorker.Ingestion.Dedup.ContentHash;
using Near = FeedWorker.Ingestion.Dedup.SimHash;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Storage;

/// <summary>A parsed article with every dedup key computed once, ready for the set-based statements.</summary>
internal sealed record PreparedItem(
    ParsedArticle Article, string ItemKey, string Fingerprint, string? CanonicalUrl, string? ContentHash, long? SimHash, int[]? Bands)
{
    /// <param name="published">The item as the feed published it: its key and fingerprint.</param>
    /// <param name="itemKey"><see cref="ItemKeys.For"/> of <paramref name="published"/>, which the caller has already.</param>
    /// <param name="fullContent">The article page's content, stored instead of the feed's when present.</param>
    public static PreparedItem From(ParsedArticle published, string itemKey, ArticleContent? fullContent = null)
    {
        var article = fullContent is null ? published : published with { ContentHtml = fullContent.Html, ContentText = fullContent.Text };
        var simHash = Near.Of(article.ContentText);
        return new PreparedItem(
            article,
            itemKey,
            // from the feed's item, so an unchanged item stays unchanged whether or not its page was fetched
            ItemFingerprint.Of(published),
            // a longer canonical URL skips layer 2: a hostile feed must not make the whole batch fail
            Canonical.From(article.Url) is { } canonical && IndexedUrl.Fits(canonical) ? canonical : null,
            Hashing.Of(article.ContentText),
            simHash,
            simHash is { } h ? Near.Bands(h) : null);
    }

    /// <summary>The feed's item before cleaning (<see cref="ParsedArticle.SourceFingerprint"/>); null for an article built elsewhere.</summary>
    public string? SourceFingerprint => Article.SourceFingerprint;

    public string CategoriesJson => JsonSerializer.Serialize(Article.Categories);

    public string EnclosuresJson => JsonSerializer.Serialize(Article.Enclosures.Select(e => new { url = e.Url, type = e.Type, length = e.Length }));
}
