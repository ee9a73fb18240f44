using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace FeedWorker.Ingestion.FullContent;

/// <summary>
/// Bytes of an HTML page to text: BOM, then the Content-Type charset, then a meta charset in the
/// first 1024 bytes, then UTF-8 (the order browsers use). Unknown charsets fall back to UTF-8.
/// </summary>
internal static partial class HtmlDecoding
{
    public static string Decode(ReadOnlySpan<byte> bytes, string? contentType)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return Encoding.UTF8.GetString(bytes[3..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Encoding.Unicode.GetString(bytes[2..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Encoding.BigEndianUnicode.GetString(bytes[2..]);

        var charset = HeaderCharset(contentType) ?? MetaCharset(bytes[..Math.Min(bytes.Length, 1024)]);
        return (Find(charset) ?? Encoding.UTF8).GetString(bytes);
    }

    private static string? HeaderCharset(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.CharSet?.Trim('"', '\'') : null;

    private static string? MetaCharset(ReadOnlySpan<byte> head)
    {
        var match = MetaCharsetPattern().Match(Encoding.Latin1.GetString(head));
        return match.Success ? match.Groups["charset"].Value : null;
    }

    private static Encoding? Find(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset)) return null;
        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex("""<meta[^>]+charset\s*=\s*["']?(?<charset>[A-Za-z0-9_\-:.]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharsetPattern();
}
