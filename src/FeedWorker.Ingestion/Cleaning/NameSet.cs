using System.Collections.Frozen;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>Element, class and id names compared without case, looked up by span so that a token is not copied out first.</summary>
internal static class NameSet
{
    public static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Of(string[] names) =>
        names.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
}
