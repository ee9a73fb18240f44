using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>
/// Layer 3: exact copies of a body published under different URLs. The text is normalized (NFKC,
/// invariant lower case, every whitespace run one space, trimmed) and hashed with SHA-256.
/// NFKC needs ICU: with InvariantGlobalization=true it silently does nothing (see NormalizedText).
/// </summary>
public static class ContentHash
{
    /// <summary>
    /// Texts with fewer words get no hash. Below this, bodies are mostly stubs shared by unrelated
    /// items ("Comments", "Read more on our site", "Continue reading…", a one-line teaser), and an
    /// equal hash would merge them; 20 words is about the shortest real news summary sentence pair.
    /// </summary>
    public const int MinimumWords = 20;

    /// <returns>Lower-case hex SHA-256 (64 characters), or null for null or too short text.</returns>
    public static string? Of(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;

        var normalized = NormalizedText.Rent(text, out var chars);
        try
        {
            return OfNormalized(chars.AsSpan(0, normalized.Length));
        }
        finally
        {
            NormalizedText.Return(chars);
        }
    }

    /// <summary><see cref="Of"/> of a text already in <see cref="NormalizedText"/> form; collapses its whitespace in place.</summary>
    internal static string? OfNormalized(Span<char> normalized)
    {
        var length = CollapseWhitespace(normalized, out var words);
        if (words < MinimumWords)
            return null;

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(length));
        try
        {
            var byteCount = Encoding.UTF8.GetBytes(normalized[..length], bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, byteCount), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Collapses whitespace runs to one space in place, trims, and counts the words.</summary>
    private static int CollapseWhitespace(Span<char> text, out int words)
    {
        var length = 0;
        words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                inWord = false;
                continue;
            }
            if (!inWord)
            {
                if (words > 0)
                    text[length++] = ' ';
                words++;
                inWord = true;
            }
            text[length++] = c;
        }
        return length;
    }
}
