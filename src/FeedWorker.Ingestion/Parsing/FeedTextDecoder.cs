using System.Text;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// Bytes to text: BOM, then the HTTP charset when the bytes agree with it, then the XML declaration,
/// then UTF-8. UTF-8 is decoded strictly; bytes that are not UTF-8 are read as windows-1252, which is
/// what mislabelled feeds almost always are.
/// </summary>
internal static class FeedTextDecoder
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);

    static FeedTextDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string Decode(ReadOnlySpan<byte> bytes, string? contentType, List<string> warnings)
    {
        if (TryBom(bytes, out var bomEncoding, out var bomLength))
        {
            return DecodeWith(bomEncoding, bytes[bomLength..], warnings);
        }
        if (SniffUnicodeWithoutBom(bytes) is { } sniffed)
        {
            return DecodeWith(sniffed, bytes, warnings);
        }
        var header = CharsetFromContentType(contentType);
        if (header is not null)
        {
            var encoding = Resolve(header);
            if (encoding is null)
            {
                warnings.Add($"unknown charset '{header}' in Content-Type; ignored");
            }
            else if (IsUtf8(encoding))
            {
                if (IsValidUtf8(bytes))
                {
                    return StrictUtf8.GetString(bytes);
                }
            }
            else if (encoding.CodePage is not (1200 or 1201 or 12000 or 12001))
            {
                return DecodeWith(encoding, bytes, warnings);
            }
        }
        var declared = DeclaredEncoding(bytes);
        if (declared is not null)
        {
            var encoding = Resolve(declared);
            if (encoding is null)
            {
                warnings.Add($"unknown encoding '{declared}' in the XML declaration; read as UTF-8");
            }
            else if (!IsUtf8(encoding) && encoding.CodePage is not (1200 or 1201 or 12000 or 12001))
            {
                return DecodeWith(encoding, bytes, warnings);
            }
        }
        return DecodeWith(Encoding.UTF8, bytes, warnings);
    }

    private static string DecodeWith(Encoding encoding, ReadOnlySpan<byte> bytes, List<string> warnings)
    {
        if (!IsUtf8(encoding))
        {
            return encoding.GetString(bytes);
        }
        if (IsValidUtf8(bytes))
        {
            return StrictUtf8.GetString(bytes);
        }
        warnings.Add("the document is not valid UTF-8; invalid bytes were read as windows-1252");
        return MixedUtf8(bytes);
    }

    private static bool IsUtf8(Encoding encoding) => encoding.CodePage == 65001;

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>Valid UTF-8 sequences as UTF-8, every other byte as windows-1252.</summary>
    private static string MixedUtf8(ReadOnlySpan<byte> bytes)
    {
        var cp1252 = Encoding.GetEncoding(1252);
        var builder = new StringBuilder(bytes.Length);
        var start = 0;
        while (start < bytes.Length)
        {
            var rest = bytes[start..];
            var validLength = ValidUtf8Prefix(rest);
            if (validLength > 0)
            {
                builder.Append(StrictUtf8.GetString(rest[..validLength]));
                start += validLength;
                continue;
            }
            builder.Append(cp1252.GetString(rest[..1]));
            start++;
        }
        return builder.ToString();
    }

    private static int ValidUtf8Prefix(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                break;
            }
            i += consumed;
        }
        return i;
    }

    internal static bool TryBom(ReadOnlySpan<byte> b, out Encoding encoding, out int length)
    {
        (encoding, length) = b switch
        {
            [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(true, false), 4),
            [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(false, false), 4),
            [0xEF, 0xBB, 0xBF, ..] => (Encoding.UTF8, 3),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(true, false), 2),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(false, false), 2),
            _ => ((Encoding)null!, 0),
        };
        return length > 0;
    }

    private static Encoding? SniffUnicodeWithoutBom(ReadOnlySpan<byte> b) => b switch
    {
        [0x00, 0x00, 0x00, 0x3C, ..] => new UTF32Encoding(true, false),
        [0x3C, 0x00, 0x00, 0x00, ..] => new UTF32Encoding(false, false),
        [0x00, 0x3C, 0x00, _, ..] => new UnicodeEncoding(true, false),
        [0x3C, 0x00, _, 0x00, ..] => new UnicodeEncoding(false, false),
        _ => null,
    };

    internal static string? CharsetFromContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }
        foreach (var part in contentType.Split(';').Skip(1))
        {
            var pair = part.Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                var value = pair[1].Trim().Trim('"', '\'').Trim();
                return value.Length > 0 ? value : null;
            }
        }
        return null;
    }

    private static string? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 1024)]);
        var start = head.IndexOf("<?xml", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        var end = head.IndexOf("?>", start, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }
        var match = System.Text.RegularExpressions.Regex.Match(
            head[start..end], "encoding\\s*=\\s*[\"']([^\"']*)[\"']", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return match.Success && match.Groups[1].Value.Trim().Length > 0 ? match.Groups[1].Value.Trim() : null;
    }

    /// <summary>Latin-1 and ASCII labels mean windows-1252 in practice, as in HTML5.</summary>
    internal static Encoding? Resolve(string label)
    {
        var name = label.Trim().ToLowerInvariant();
        if (name is "iso-8859-1" or "iso8859-1" or "latin1" or "latin-1" or "l1" or "us-ascii" or "ascii" or "iso_8859-1" or "cp819")
        {
            return Encoding.GetEncoding(1252);
        }
        if (name is "utf8" or "unicode-1-1-utf-8")
        {
            return Encoding.UTF8;
        }
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
