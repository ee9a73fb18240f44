using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Storage;

/// <summary>
/// A document's items this feed stored exactly as they are published now (<see cref="ArticleStore.UnchangedItemsAsync"/>):
/// neither cleaned again nor passed to <see cref="ArticleStore.StoreAsync"/>, which still counts them and knows their keys.
/// </summary>
public sealed class UnchangedItems(IReadOnlyDictionary<string, string> keysBySourceFingerprint)
{
    public static UnchangedItems None { get; } = new(new Dictionary<string, string>());

    public bool Contains(ParsedArticle article) => article.SourceFingerprint is { } source && keysBySourceFingerprint.ContainsKey(source);

    /// <summary>Their item keys as stored: still part of the document (a renamed item is told from a dropped one by them).</summary>
    public IEnumerable<string> Keys => keysBySourceFingerprint.Values;

    /// <summary>What storing them would have done: nothing, counted as unchanged.</summary>
    public StoreResult Result => new(0, 0, keysBySourceFingerprint.Count, 0, 0);
}
