using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Storage;

/// <summary>
/// What this feed has stored of a document's items, read once before cleaning (<see cref="ArticleStore.StoredItemsAsync"/>).
/// It decides only what work to skip: cleaning an item stored exactly as published, fetching the page of an item that
/// would not be written. The write reads the stored keys again under the feed's lock.
/// </summary>
public sealed class StoredItems(IReadOnlyDictionary<string, string> keysBySourceFingerprint, IReadOnlyDictionary<string, string> fingerprintsByKey)
{
    public static StoredItems None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>The item is stored exactly as published now (an equal <see cref="ParsedArticle.SourceFingerprint"/>): cleaning and storing it again would write nothing.</summary>
    public bool IsUnchanged(ParsedArticle published) => published.SourceFingerprint is { } source && keysBySourceFingerprint.ContainsKey(source);

    /// <summary>Storing the item would write it: its key is not stored, or with another fingerprint.</summary>
    public bool IsNewOrChanged(PreparedItem item) =>
        !fingerprintsByKey.TryGetValue(item.ItemKey, out var stored) || !string.Equals(stored, item.Fingerprint, StringComparison.Ordinal);

    /// <summary>
    /// The item keys, as stored, of the unchanged items (<see cref="IsUnchanged"/>): left out of the store's batch but
    /// still part of the document (a renamed item is told from a dropped one by them).
    /// </summary>
    public IEnumerable<string> UnchangedKeys => keysBySourceFingerprint.Values;

    /// <summary>What storing the unchanged items would have done: nothing, counted as unchanged.</summary>
    public StoreResult UnchangedResult => new(0, 0, keysBySourceFingerprint.Count, 0, 0);
}
