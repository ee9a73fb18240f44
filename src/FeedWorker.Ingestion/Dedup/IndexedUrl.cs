using System.Text;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>
/// How long a URL may be to go under a b-tree index (<c>feeds.url</c>, <c>articles.canonical_url</c>): an index
/// entry is limited to 2,704 bytes after compression, so a longer URL that does not compress fails its write.
/// Kept with the keys (not in Storage) because it decides which keys exist: a longer canonical URL is no key.
/// </summary>
public static class IndexedUrl
{
    /// <summary>The longest indexed URL, in UTF-8 bytes.</summary>
    public const int MaxBytes = 2048;

    public static bool Fits(string url) => Encoding.UTF8.GetByteCount(url) <= MaxBytes;
}
