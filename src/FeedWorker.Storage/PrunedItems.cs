using FeedWorker.Ingestion.Dedup;
using Npgsql;

namespace FeedWorker.Storage;

/// <summary>The tombstones of pruned items (<c>pruned_items</c>), as the write path consults them.</summary>
internal static class PrunedItems
{
    /// <summary>
    /// The items without those retention pruned; tombstones of items the feed no longer carries are
    /// forgotten. Runs inside the feed's write transaction.
    /// </summary>
    public static async Task<List<PreparedItem>> WithoutPrunedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long feedId, List<PreparedItem> items, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            WITH forgotten AS (DELETE FROM pruned_items WHERE feed_id = @feed AND NOT (item_key = ANY(@keys)))
            SELECT item_key FROM pruned_items WHERE feed_id = @feed AND item_key = ANY(@keys)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("feed", feedId));
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", items.Select(i => i.ItemKey).ToArray()));
        var pruned = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) pruned.Add(reader.GetString(0));
        }
        return pruned.Count == 0 ? items : items.Where(i => !pruned.Contains(i.ItemKey)).ToList();
    }
}
