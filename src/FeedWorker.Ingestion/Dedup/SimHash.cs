using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>
/// Layer 4: near copies. Charikar's SimHash over 3-word shingles of the normalized text (NFKC,
/// invariant lower case; a word is a run of letters, digits and combining marks, so case,
/// punctuation and typographic quotes do not matter). Near duplicates differ in at most
/// <see cref="NearDuplicateDistance"/> bits.
/// </summary>
/// <remarks>
/// <para>
/// Reach, measured on the 356-word seed article: one substituted word stays within 3 bits in 98% of
/// cases, three words in about 70%; an appended one-line footer moves 1 to 4 bits; replacing a
/// footer sentence 4 to 6 (missed). Unrelated articles, even on the same topic, are 27 to 36 bits
/// apart. Single words or 2-word shingles tolerate more edits, but put unrelated English texts only
/// 9 to 13 (words) or 26 to 31 (pairs) bits apart, because common words dominate: 3-word shingles
/// keep false merges, which would hide an article, out of reach.
/// </para>
/// <para>
/// Written by hand because no library in our set offers SimHash. The shingle hash must be stable
/// across processes and runs (stored hashes are compared with hashes computed later), so it is
/// FNV-1a 64 over each word's UTF-16 code units followed by the MurmurHash3 64-bit finalizer to
/// spread FNV's weak low bits, never <see cref="string.GetHashCode()"/> (randomized per process).
/// System.IO.Hashing's XxHash64 would do as well but is not in the shared framework.
/// Words are hashed as the text is read, in one pass over one pooled buffer: no string per word or shingle.
/// </para>
/// </remarks>
public static class SimHash
{
    /// <summary>Near duplicate per Manku, Jain and Das Sarma (WWW 2007): Distance &lt;= 3.</summary>
    public const int NearDuplicateDistance = 3;

    /// <summary>
    /// Texts with fewer words get no hash. A SimHash of a short text rests on few shingles: one edited
    /// word moves many bits (missed copies), and short generic texts (teasers, "read more" stubs,
    /// cookie notices) look alike (false merges). 50 words = 48 shingles, about one solid paragraph;
    /// shorter items are still covered by layers 1 to 3.
    /// </summary>
    public const int MinimumWords = 50;

    private const int ShingleWords = 3;
    private const ulong FnvOffsetBasis = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>For each byte value, its eight bits as 0/1 lanes, lowest bit first.</summary>
    private static readonly Vector256<int>[] ByteBits = CreateByteBits();

    public static long? Of(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;

        var normalized = NormalizedText.Rent(text, out var buffer);
        try
        {
            return OfNormalized(normalized);
        }
        finally
        {
            NormalizedText.Return(buffer);
        }
    }

    /// <summary>Hamming distance between two hashes.</summary>
    public static int Distance(long a, long b) => BitOperations.PopCount((ulong)(a ^ b));

    /// <summary>
    /// The hash split into 4 bands of 16 bits each (band i = bits 16i..16i+15, as int 0..65535).
    /// Two hashes within distance 3 differ in at most 3 bands, so at least one band is equal
    /// (pigeonhole): the store indexes the bands and looks candidates up by any equal band.
    /// </summary>
    public static int[] Bands(long hash)
    {
        var value = (ulong)hash;
        return
        [
            (int)(value & 0xFFFF),
            (int)((value >> 16) & 0xFFFF),
            (int)((value >> 32) & 0xFFFF),
            (int)((value >> 48) & 0xFFFF),
        ];
    }

    /// <summary><see cref="Of"/> of a text already in <see cref="NormalizedText"/> form.</summary>
    internal static long? OfNormalized(ReadOnlySpan<char> text)
    {
        // ones[b] counts, lane by lane, the shingles whose byte b has that bit set: eight vector
        // adds per shingle instead of 64 scalar votes.
        Span<Vector256<int>> ones = stackalloc Vector256<int>[8];
        ones.Clear();
        var shingles = new Shingles();
        // One pass: each word is hashed as it is read, so the text is not read a second time.
        var word = FnvOffsetBasis;
        var inWord = false;
        foreach (var c in text)
        {
            if (IsWordChar(c))
            {
                word = (word ^ c) * FnvPrime;
                inWord = true;
            }
            else if (inWord)
            {
                shingles.Add(word, ones);
                word = FnvOffsetBasis;
                inWord = false;
            }
        }
        if (inWord)
            shingles.Add(word, ones);
        if (shingles.Words < MinimumWords)
            return null;

        // A bit is set when most shingles set it (a tie leaves it clear).
        var shingleCount = shingles.Words - ShingleWords + 1;
        ulong hash = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if (2 * ones[bit / 8][bit % 8] > shingleCount)
                hash |= 1UL << bit;
        }
        return (long)hash;
    }

    /// <summary>Counts the words read so far and keeps the hashes of the last two: each new word closes a shingle of three.</summary>
    private struct Shingles
    {
        private ulong _first;
        private ulong _second;

        public int Words { get; private set; }

        public void Add(ulong word, Span<Vector256<int>> ones)
        {
            if (++Words >= ShingleWords)
            {
                var shingle = HashShingle(_first, _second, word);
                for (var b = 0; b < 8; b++)
                    ones[b] += ByteBits[(int)((shingle >> (8 * b)) & 0xFF)];
            }
            _first = _second;
            _second = word;
        }
    }

    private static bool IsWordChar(char c)
    {
        if (char.IsAsciiLetterOrDigit(c))
            return true;
        if (c < 128)
            return false;
        // Surrogates: supplementary-plane letters (CJK extensions, ...) arrive as pairs.
        return char.IsLetterOrDigit(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) is
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }

    private static Vector256<int>[] CreateByteBits()
    {
        var table = new Vector256<int>[256];
        Span<int> lanes = stackalloc int[8];
        for (var value = 0; value < 256; value++)
        {
            for (var bit = 0; bit < 8; bit++)
                lanes[bit] = (value >> bit) & 1;
            table[value] = Vector256.Create<int>(lanes);
        }
        return table;
    }

    private static ulong HashShingle(ulong first, ulong second, ulong third) =>
        Mix(Mix(Mix(first) ^ second) ^ third);

    /// <summary>MurmurHash3's fmix64: every input bit affects every output bit.</summary>
    private static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccd;
        value ^= value >> 33;
        value *= 0xc4ceb9a63fe53c87;
        value ^= value >> 33;
        return value;
    }
}
