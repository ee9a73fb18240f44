using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>
/// The items of one feed document, each keyed once. An item whose keys cannot be computed is skipped
/// with a warning; a key repeated within the document keeps its first item and says so.
/// </summary>
public static class PreparedItems
{
    /// <param name="stored">The version of an item to store, given the item as published and its key (e.g. with its article page's content).</param>
    public static List<PreparedItem> Of(
        IReadOnlyList<ParsedArticle> articles, Func<ParsedArticle, string, ParsedArticle> stored, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(warnings);
        var items = new List<PreparedItem>(articles.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < articles.Count; i++)
        {
            var article = articles[i];
            string? key = null;
            try
            {
                key = ItemKeys.For(article);
                if (!seen.Add(key))
                {
                    warnings.Add($"item {key}: repeated in the feed (item {i + 1}); only its first occurrence is stored");
                    continue;
                }
                items.Add(PreparedItem.From(article, key, stored(article, key)));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                warnings.Add($"item {key ?? $"#{i + 1}"} skipped: it could not be prepared: {e.GetType().Name}: {e.Message}");
            }
        }
        return items;
    }
}
