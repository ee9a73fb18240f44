using DiffPlex;
using DiffPlex.Chunkers;

namespace FeedWorker.Commands;

public enum DiffKind
{
    Same,
    Deleted,
    Inserted,
}

/// <summary>A run of words the two versions share, or that one of them alone has.</summary>
public sealed record DiffSegment(DiffKind Kind, string Text);

/// <summary>Word-level differences between two versions of a text (DiffPlex), for a reader at a terminal.</summary>
public static class WordDiff
{
    /// <summary>Words of unchanged text kept on each side of a change; the rest is elided.</summary>
    public const int ContextWords = 8;

    private const string Ellipsis = "…";

    public static IReadOnlyList<DiffSegment> Compare(string? before, string? after)
    {
        var diff = Differ.Instance.CreateDiffs(before ?? "", after ?? "", ignoreWhiteSpace: false, ignoreCase: false, WordChunker.Instance);
        var segments = new List<DiffSegment>();
        var old = 0;
        foreach (var block in diff.DiffBlocks)
        {
            Add(segments, DiffKind.Same, diff.PiecesOld.Skip(old).Take(block.DeleteStartA - old));
            Add(segments, DiffKind.Deleted, diff.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA));
            Add(segments, DiffKind.Inserted, diff.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB));
            old = block.DeleteStartA + block.DeleteCountA;
        }
        Add(segments, DiffKind.Same, diff.PiecesOld.Skip(old));
        return segments;
    }

    /// <summary>
    /// The segments with long unchanged runs shortened to <see cref="ContextWords"/> words either side
    /// of a change, so that a small edit of a long article shows as a few lines.
    /// </summary>
    public static IReadOnlyList<DiffSegment> AroundChanges(IReadOnlyList<DiffSegment> segments)
    {
        var shortened = new List<DiffSegment>(segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (segment.Kind != DiffKind.Same)
            {
                shortened.Add(segment);
                continue;
            }
            var words = segment.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            bool changeBefore = i > 0, changeAfter = i < segments.Count - 1;
            var keep = (changeBefore ? ContextWords : 0) + (changeAfter ? ContextWords : 0);
            if (words.Length <= keep)
            {
                shortened.Add(segment);
                continue;
            }
            var head = changeBefore ? string.Join(' ', words.Take(ContextWords)) + " " : "";
            var tail = changeAfter ? " " + string.Join(' ', words.TakeLast(ContextWords)) : "";
            // keep the spaces that separate the kept words from the neighbouring change
            var lead = changeBefore && char.IsWhiteSpace(segment.Text[0]) ? " " : "";
            var trail = changeAfter && char.IsWhiteSpace(segment.Text[^1]) ? " " : "";
            shortened.Add(new DiffSegment(DiffKind.Same, lead + head + Ellipsis + tail + trail));
        }
        return shortened;
    }

    private static void Add(List<DiffSegment> segments, DiffKind kind, IEnumerable<string> pieces)
    {
        var text = string.Concat(pieces);
        if (text.Length > 0) segments.Add(new DiffSegment(kind, text));
    }
}
