using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FeedWorker.Storage;

/// <summary>An article retention deleted, or would delete.</summary>
public sealed record PrunedArticle(long Id, DateTime FirstSeenAt, string? Url, string? Title);

/// <summary>
/// Retention: deletes articles first seen longer ago than the age their feeds keep, with their feed
/// links (cascade), leaving a tombstone per item so a feed that still carries the item does not store
/// it again. Works in small transactions that skip rows a writer holds, so storing goes on meanwhile.
/// </summary>
public sealed partial class ArticlePruner(NpgsqlDataSource dataSource, IOptions<RetentionOptions> options, TimeProvider time, ILogger<ArticlePruner> logger)
{
    /// <summary>
    /// An article is due when every feed linking it keeps articles for less than its age (a feed's own
    /// MaxAge, else the global one; a feed with neither keeps it) and, for an article no feed links, the
    /// global MaxAge has passed.
    /// </summary>
    private const string Due = """
        WITH ages AS (
            SELECT f.id, coalesce(o.max_age, @global) AS max_age
            FROM feeds f LEFT JOIN unnest(@urls, @ages) AS o(url, max_age) ON o.url = f.url)
        SELECT a.id, a.first_seen_at, a.url, a.title FROM articles a
        WHERE a.first_seen_at < @now - @youngest
          AND NOT EXISTS (
              SELECT 1 FROM feed_articles fa JOIN ages g ON g.id = fa.feed_id
              WHERE fa.article_id = a.id AND (g.max_age IS NULL OR a.first_seen_at >= @now - g.max_age))
          AND (EXISTS (SELECT 1 FROM feed_articles fa WHERE fa.article_id = a.id) OR a.first_seen_at < @now - @global)
        """;

    private const string AllDue = Due + " ORDER BY a.id";

    // rows a feed's write transaction holds are skipped, not waited for: the next run takes them
    private const string NextDueBatch = Due + " ORDER BY a.id LIMIT @batch FOR UPDATE OF a SKIP LOCKED";

    /// <param name="feedMaxAges">Per-feed retention by configured feed URL (<c>feeds.url</c>).</param>
    /// <param name="onPruned">Called with each batch as it is deleted (or found, on a dry run).</param>
    /// <returns>How many articles were deleted (or would be).</returns>
    public async Task<int> PruneAsync(
        IReadOnlyDictionary<string, TimeSpan> feedMaxAges, bool dryRun, Func<IReadOnlyList<PrunedArticle>, Task>? onPruned, CancellationToken cancellationToken)
    {
        var global = options.Value.MaxAge;
        if (global is null && feedMaxAges.Count == 0) return 0;
        var youngest = feedMaxAges.Values.Append(global ?? TimeSpan.MaxValue).Min();
        var now = time.GetUtcNow().UtcDateTime;
        if (dryRun)
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            var select = new NpgsqlCommand(AllDue, connection);
            await using var selectDisposal = select.ConfigureAwait(false);
            AddParameters(select, feedMaxAges, global, youngest, now);
            var all = await ReadAsync(select, cancellationToken).ConfigureAwait(false);
            if (onPruned is not null && all.Count > 0) await onPruned(all).ConfigureAwait(false);
            return all.Count;
        }
        var total = 0;
        while (true)
        {
            var batch = await DeleteBatchAsync(feedMaxAges, global, youngest, now, cancellationToken).ConfigureAwait(false);
            total += batch.Count;
            if (onPruned is not null && batch.Count > 0) await onPruned(batch).ConfigureAwait(false);
            if (batch.Count < options.Value.BatchSize) break;
        }
        LogPruned(total, global);
        return total;
    }

    private async Task<List<PrunedArticle>> DeleteBatchAsync(
        IReadOnlyDictionary<string, TimeSpan> feedMaxAges, TimeSpan? global, TimeSpan youngest, DateTime now, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var transactionDisposal = transaction.ConfigureAwait(false);
        var select = new NpgsqlCommand(NextDueBatch, connection, transaction);
        await using var selectDisposal = select.ConfigureAwait(false);
        AddParameters(select, feedMaxAges, global, youngest, now);
        select.Parameters.Add(new NpgsqlParameter<int>("batch", options.Value.BatchSize));
        var batch = await ReadAsync(select, ct).ConfigureAwait(false);
        if (batch.Count > 0)
        {
            var delete = new NpgsqlCommand("""
                WITH tombstones AS (
                    INSERT INTO pruned_items (feed_id, item_key, pruned_at)
                    SELECT feed_id, item_key, @now FROM feed_articles WHERE article_id = ANY(@ids)
                    ON CONFLICT DO NOTHING)
                DELETE FROM articles WHERE id = ANY(@ids)
                """, connection, transaction);
            await using var deleteDisposal = delete.ConfigureAwait(false);
            delete.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
            delete.Parameters.Add(new NpgsqlParameter<long[]>("ids", batch.Select(a => a.Id).ToArray()));
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return batch;
    }

    private static void AddParameters(
        NpgsqlCommand command, IReadOnlyDictionary<string, TimeSpan> feedMaxAges, TimeSpan? global, TimeSpan youngest, DateTime now)
    {
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
        command.Parameters.Add(new NpgsqlParameter("global", NpgsqlDbType.Interval) { Value = (object?)global ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("youngest", youngest == TimeSpan.MaxValue ? TimeSpan.FromDays(365 * 1000) : youngest));
        command.Parameters.Add(new NpgsqlParameter<string[]>("urls", feedMaxAges.Keys.ToArray()));
        command.Parameters.Add(new NpgsqlParameter<TimeSpan[]>("ages", feedMaxAges.Values.ToArray()));
    }

    private static async Task<List<PrunedArticle>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var found = new List<PrunedArticle>();
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            found.Add(new PrunedArticle(reader.GetInt64(0), reader.GetDateTime(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return found;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} articles (global MaxAge {MaxAge})")]
    private partial void LogPruned(int count, TimeSpan? maxAge);
}
