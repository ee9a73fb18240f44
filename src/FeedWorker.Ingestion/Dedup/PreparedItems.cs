using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>
/// The items of one feed document, each keyed once (<see cref="Of"/>). An item whose keys cannot be computed is skipped
/// with a warning; a key repeated within the document keeps its first item and says so.
/// </summary>
/// <param name="Warnings">The items skipped or left out, and why: stored with the feed's state.</param>
public sealed record PreparedItems(IReadOnlyList<PreparedItem> Items, IReadOnlyList<string> Warnings)
{
    public static PreparedItems Of(IReadOnlyList<ParsedArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        var items = new List<PreparedItem>(articles.Count);
        var warnings = new List<string>();
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
                items.Add(PreparedItem.From(article, key));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                warnings.Add($"item {key ?? $"#{i + 1}"} skipped: it could not be prepared: {e.GetType().Name}: {e.Message}");
            }
        }
        return new PreparedItems(items, warnings);
    }
}
