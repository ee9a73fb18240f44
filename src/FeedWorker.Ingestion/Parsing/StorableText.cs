using System.Buffers;
using System.Text;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// Text PostgreSQL can store: without NUL (rejected by <c>text</c> and <c>jsonb</c>) and without
/// unpaired UTF-16 surrogates (no UTF-8 form; they also break Unicode normalization). Everything
/// else, other control characters included, is storable and kept.
/// </summary>
public static class StorableText
{
    /// <summary>The text without NUL and unpaired surrogates; the same instance when there were none.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = FirstUnstorable(text);
        if (first < 0)
        {
            return text;
        }
        var clean = new StringBuilder(text.Length);
        clean.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
                continue;
            }
            if (!char.IsSurrogate(c))
            {
                clean.Append(c);
            }
        }
        return clean.ToString();
    }

    /// <inheritdoc cref="Clean(string)"/>
    public static string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    /// <summary>Index of the first NUL or unpaired surrogate, or -1: a vectorized search, so clean text costs one pass.</summary>
    private static int FirstUnstorable(string text)
    {
        var offset = 0;
        while (text.AsSpan(offset).IndexOfAny(Suspects) is var found and >= 0)
        {
            var at = offset + found;
            if (!char.IsHighSurrogate(text[at]) || at + 1 >= text.Length || !char.IsLowSurrogate(text[at + 1]))
            {
                return at;
            }
            offset = at + 2;
        }
        return -1;
    }

    private static readonly SearchValues<char> Suspects =
        SearchValues.Create("\0" + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));
}
