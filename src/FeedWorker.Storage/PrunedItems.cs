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
        var command = new NpgsqlCommand("""
            WITH forgotten AS (DELETE FROM pruned_items WHERE feed_id = @feed AND NOT (item_key = ANY(@keys)))
            SELECT item_key FROM pruned_items WHERE feed_id = @feed AND item_key = ANY(@keys)
            """, connection, transaction);
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<long>("feed", feedId));
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", items.Select(i => i.ItemKey).ToArray()));
        var pruned = new HashSet<string>();
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) pruned.Add(reader.GetString(0));
        }
        return pruned.Count == 0 ? items : items.Where(i => !pruned.Contains(i.ItemKey)).ToList();
    }
}
