using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>
/// Layer 1: the identity of an item within its feed. The kinds never collide because each key
/// carries its kind as a prefix:
/// <list type="bullet">
/// <item><c>guid:</c> + the trimmed guid (case kept: publishers treat it as opaque);</item>
/// <item><c>url:</c> + the trimmed absolute link as published (any scheme but file:, since magnet:
/// or ftp: links are real in torrent and podcast feeds; not canonicalized: within one feed
/// the link is stable, and canonicalizing could merge items that differ only in a parameter);</item>
/// <item><c>sha256:</c> + lower-case hex SHA-256 of title, published time and body, for items with
/// neither.</item>
/// </list>
/// A guid or link longer than <see cref="MaxLength"/> becomes <c>guid-sha256:</c> / <c>url-sha256:</c>
/// + the hex SHA-256 of the value, so a hostile feed cannot make a key too long for a database index.
/// </summary>
public static class ItemKeys
{
    /// <summary>The longest key returned (a hashed key is at most 75 characters).</summary>
    public const int MaxLength = 512;

    public static string For(ParsedArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);

        var guid = article.Guid?.Trim();
        if (!string.IsNullOrEmpty(guid))
            return Prefixed("guid:", "guid-sha256:", guid);

        var url = article.Url?.Trim();
        // On Unix a bare "/path" parses as an absolute file: URI; a feed link is never a local file.
        if (!string.IsNullOrEmpty(url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.IsFile)
            return Prefixed("url:", "url-sha256:", url);

        return "sha256:" + HashOfFields(article);
    }

    private static string Prefixed(string prefix, string hashedPrefix, string value) =>
        prefix.Length + value.Length <= MaxLength ? prefix + value : hashedPrefix + Sha256Hex(value);

    private static string HashOfFields(ParsedArticle article)
    {
        var published = article.Published?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) ?? "";
        var body = string.IsNullOrWhiteSpace(article.ContentText) ? article.Summary : article.ContentText;
        // NUL separates the fields: it cannot occur in XML text, so ("ab", "c") and ("a", "bc") differ.
        return Sha256Hex(string.Concat(article.Title?.Trim(), "\0", published, "\0", body?.Trim()));
    }

    internal static string Sha256Hex(string value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash);
    }
}
