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

    public StoreResult Add(StoreResult other) => new(
        New + other.New, Updated + other.Updated, Unchanged + other.Unchanged, Duplicates + other.Duplicates, NearDuplicates + other.NearDuplicates);
}
