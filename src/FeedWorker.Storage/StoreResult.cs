namespace FeedWorker.Storage;

/// <summary>What storing one feed's items did.</summary>
/// <param name="New">Articles inserted as originals.</param>
/// <param name="Updated">Known items whose content changed: rewritten in place, revision + 1.</param>
/// <param name="Unchanged">Known items with an equal fingerprint: nothing written.</param>
/// <param name="Duplicates">Items linked to an article stored before (same canonical URL or same content).</param>
/// <param name="NearDuplicates">Articles inserted with duplicate_of set (SimHash distance within the threshold).</param>
public sealed record StoreResult(int New, int Updated, int Unchanged, int Duplicates, int NearDuplicates)
{
    public static StoreResult Empty { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Items skipped or repeated, and the feed's parse warnings: what the feed row's <c>last_warning</c> shows.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public StoreResult Add(StoreResult other) => new(
        New + other.New, Updated + other.Updated, Unchanged + other.Unchanged, Duplicates + other.Duplicates, NearDuplicates + other.NearDuplicates)
    {
        Warnings = Warnings.Count == 0 ? other.Warnings : other.Warnings.Count == 0 ? Warnings : [.. Warnings, .. other.Warnings],
    };

    /// <summary>This result with the warnings; unchanged (and equal to a result without any) when there are none.</summary>
    public StoreResult WithWarnings(IReadOnlyList<string> warnings) => warnings.Count == 0 ? this : this with { Warnings = warnings };
}
