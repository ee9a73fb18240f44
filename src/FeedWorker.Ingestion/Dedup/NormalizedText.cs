using System.Buffers;
using System.Text;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>
/// The text form the content layers compare: Unicode NFKC, lower-cased with the invariant
/// mapping. Written into a pooled buffer so hashing a body costs no per-word allocation.
/// </summary>
internal static class NormalizedText
{
    /// <summary>
    /// Whether <see cref="string.Normalize(NormalizationForm)"/> really normalizes in this process.
    /// With InvariantGlobalization=true (no ICU) .NET returns the text unchanged without an error,
    /// so NFKC folding (ligatures, full-width forms, composed accents) silently does not happen and
    /// content hashes differ from those of a process with ICU.
    /// </summary>
    internal static bool IsNormalizationAvailable { get; } = "\uFB01".Normalize(NormalizationForm.FormKC) == "fi";

    /// <summary>Writes the normalized, lower-cased text into a rented buffer; return it with <see cref="Return"/>.</summary>
    internal static ReadOnlySpan<char> Rent(string text, out char[] buffer)
    {
        var normalized = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        buffer = ArrayPool<char>.Shared.Rent(Math.Max(normalized.Length, 1));
        // The span overload maps surrogate pairs too, which char.ToLowerInvariant cannot.
        var written = normalized.AsSpan().ToLowerInvariant(buffer);
        return buffer.AsSpan(0, written);
    }

    internal static void Return(char[] buffer) => ArrayPool<char>.Shared.Return(buffer);
}
