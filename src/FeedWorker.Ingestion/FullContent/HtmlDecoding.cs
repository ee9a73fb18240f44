using System.Text;
using System.Text.RegularExpressions;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.FullContent;

/// <summary>
/// Bytes of an HTML page to text: BOM, then the Content-Type charset, then a meta charset in the
/// first 1024 bytes, then UTF-8 (the order browsers use). Unknown charsets fall back to UTF-8.
/// BOMs, header charsets and labels are read as for feeds (<see cref="FeedTextDecoder"/>).
/// </summary>
internal static partial class HtmlDecoding
{
    public static string Decode(ReadOnlySpan<byte> bytes, string? contentType)
    {
        if (FeedTextDecoder.TryBom(bytes, out var bom, out var length))
        {
            return bom.GetString(bytes[length..]);
        }
        var charset = FeedTextDecoder.CharsetFromContentType(contentType) ?? MetaCharset(bytes[..Math.Min(bytes.Length, 1024)]);
        var encoding = charset is null ? null : FeedTextDecoder.Resolve(charset);
        return (encoding ?? Encoding.UTF8).GetString(bytes);
    }

    private static string? MetaCharset(ReadOnlySpan<byte> head)
    {
        var match = MetaCharsetPattern().Match(Encoding.Latin1.GetString(head));
        return match.Success ? match.Groups["charset"].Value : null;
    }

    [GeneratedRegex("""<meta[^>]+charset\s*=\s*["']?(?<charset>[A-Za-z0-9_\-:.]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharsetPattern();
}
