using Npgsql;
using NpgsqlTypes;

namespace FeedWorker.Storage;

/// <summary>What the scheduler needs to plan a feed's next fetch.</summary>
/// <param name="ArticlesLastWeek">Articles of this feed published (or first seen) in the last 7 days.</param>
public sealed record FeedScheduleFacts(
    long FeedId, bool Enabled, TimeSpan? Interval, TimeSpan? TtlHint, TimeSpan? UpdateIntervalHint, TimeSpan? MaxAgeHint,
    DateTime? RetryAfter, int ErrorCount, int ArticlesLastWeek);

/// <summary>The scheduling side of the <c>feeds</c> table: facts for planning, next_fetch_at, and retiring feeds.</summary>
public sealed class FeedScheduleStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const string RemovedFromConfiguration = "removed from configuration";

    public async Task<FeedScheduleFacts?> GetFactsAsync(long feedId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var command = dataSource.CreateCommand("""
            SELECT f.id, f.enabled, f.fetch_interval, f.ttl_hint, f.update_interval_hint, f.max_age_hint, f.retry_after,
                   f.error_count,
                   (SELECT count(*) FROM feed_articles fa JOIN articles a ON a.id = fa.article_id
                     WHERE fa.feed_id = f.id AND coalesce(a.published_at, fa.first_seen_at) > @week_ago)::int
            FROM feeds f WHERE f.id = @id
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("id", feedId));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("week_ago", now.AddDays(-7)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new FeedScheduleFacts(
            reader.GetInt64(0), reader.GetBoolean(1), Interval(reader, 2), Interval(reader, 3), Interval(reader, 4), Interval(reader, 5),
            reader.IsDBNull(6) ? null : reader.GetDateTime(6), reader.GetInt32(7), reader.GetInt32(8));
    }

    public async Task SetNextFetchAsync(long feedId, DateTimeOffset nextFetch, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE feeds SET next_fetch_at = @next WHERE id = @id");
        command.Parameters.Add(new NpgsqlParameter<long>("id", feedId));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("next", nextFetch.UtcDateTime));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Enabled feeds with their planned next fetch, for (re)creating their jobs.</summary>
    public async Task<IReadOnlyList<(long Id, DateTime? NextFetchAt)>> ListEnabledAsync(CancellationToken cancellationToken)
    {
        var feeds = new List<(long, DateTime?)>();
        await using var command = dataSource.CreateCommand("SELECT id, next_fetch_at FROM feeds WHERE enabled ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            feeds.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetDateTime(1)));
        }
        return feeds;
    }

    /// <summary>
    /// Stops configured feeds that are no longer in the configuration (their articles stay), and
    /// starts again those that were stopped that way and are back. Returns how many rows changed.
    /// </summary>
    public async Task<int> ApplyConfiguredSetAsync(IReadOnlyCollection<string> configuredUrls, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE feeds SET
                enabled = url = ANY(@urls),
                disabled_reason = CASE WHEN url = ANY(@urls) THEN NULL ELSE @reason END,
                updated_at = @now
            WHERE origin IN ('config', 'opml')
              AND ((enabled AND NOT url = ANY(@urls)) OR (NOT enabled AND disabled_reason = @reason AND url = ANY(@urls)))
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]>("urls", configuredUrls.ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string>("reason", RemovedFromConfiguration));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", time.GetUtcNow().UtcDateTime));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static TimeSpan? Interval(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetTimeSpan(ordinal);
}
