using Npgsql;
using NpgsqlTypes;

namespace FeedWorker.Storage;

/// <summary>A feed as configured: what <see cref="FeedStore.SyncAsync"/> upserts.</summary>
/// <param name="Url">Absolute http(s) or file:// URL.</param>
/// <param name="Origin">Where the entry comes from: <see cref="Model.FeedOrigins.Config"/> or <see cref="Model.FeedOrigins.Opml"/>.</param>
/// <param name="Language">The language of its items when neither they nor the feed name one.</param>
public sealed record FeedDefinition(
    string Url, string? Name, TimeSpan? Interval, bool FetchFullContent, IReadOnlyList<string> Tags, string Origin = Model.FeedOrigins.Config,
    string? Language = null);

/// <summary>What the refresh step needs to fetch a feed.</summary>
/// <param name="Language">The configured language (<see cref="FeedDefinition.Language"/>).</param>
public sealed record FeedSubscription(
    long Id, string Url, string? ETag, string? LastModified, bool FetchFullContent, bool Enabled, string? Language = null);

/// <summary>What a successful fetch tells the feed's state row.</summary>
public sealed record FeedFetchSuccess(
    int? Status, string? ETag, string? LastModified, string? Title, string? SiteUrl,
    TimeSpan? TtlHint, TimeSpan? UpdateIntervalHint, TimeSpan? MaxAgeHint, string? PermanentRedirect)
{
    /// <summary>The language of items that name none (the feed's own, else configured): their search configuration.</summary>
    public string? Language { get; init; }
}

/// <summary>The <c>feeds</c> table: subscriptions and their fetch state. Every statement is parameterized.</summary>
public sealed class FeedStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string SubscriptionColumns = "id, coalesce(redirected_to, url), etag, last_modified, fetch_full_content, enabled, language";

    /// <summary>
    /// Upserts the configured feeds in one statement; a row is rewritten only when its configured
    /// values differ. Feeds no longer configured are left alone.
    /// </summary>
    public async Task SyncAsync(IReadOnlyList<FeedDefinition> feeds, CancellationToken cancellationToken)
    {
        var unique = feeds.DistinctBy(f => f.Url).ToList();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO feeds (url, name, origin, fetch_interval, fetch_full_content, tags, language, created_at, updated_at)
            SELECT t.url, t.name, t.origin, t.fetch_interval, t.fetch_full_content,
                   ARRAY(SELECT jsonb_array_elements_text(t.tags)), t.language, @now, @now
            FROM unnest(@url, @name, @origin, @interval, @full, @tags, @language)
                AS t(url, name, origin, fetch_interval, fetch_full_content, tags, language)
            ON CONFLICT (url) DO UPDATE SET
                name = excluded.name, origin = excluded.origin, fetch_interval = excluded.fetch_interval,
                fetch_full_content = excluded.fetch_full_content, tags = excluded.tags, language = excluded.language,
                updated_at = excluded.updated_at
            WHERE (feeds.name, feeds.origin, feeds.fetch_interval, feeds.fetch_full_content, feeds.tags, feeds.language)
                  IS DISTINCT FROM (excluded.name, excluded.origin, excluded.fetch_interval, excluded.fetch_full_content, excluded.tags, excluded.language)
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", time.GetUtcNow().UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<string[]>("url", unique.Select(f => f.Url).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("name", unique.Select(f => f.Name).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("origin", unique.Select(f => f.Origin).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("interval", NpgsqlDbType.Array | NpgsqlDbType.Interval) { Value = unique.Select(f => (object?)f.Interval ?? DBNull.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<bool[]>("full", unique.Select(f => f.FetchFullContent).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("tags", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = unique.Select(f => System.Text.Json.JsonSerializer.Serialize(f.Tags)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("language", unique.Select(f => f.Language).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The feed with this URL, added with origin <c>adhoc</c> when it is not known yet.</summary>
    public async Task<FeedSubscription> EnsureAsync(string url, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH added AS (
                INSERT INTO feeds (url, origin, created_at, updated_at) VALUES (@url, 'adhoc', @now, @now)
                ON CONFLICT (url) DO NOTHING
                RETURNING *)
            SELECT {SubscriptionColumns} FROM added
            UNION ALL
            SELECT {SubscriptionColumns} FROM feeds WHERE url = @url
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("url", url));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", time.GetUtcNow().UtcDateTime));
        var found = await ReadAsync(command, cancellationToken);
        return found.Count > 0 ? found[0] : await EnsureAsync(url, cancellationToken); // lost a race with a concurrent insert: read again
    }

    /// <summary>The feed with this id, or null when it was deleted.</summary>
    public async Task<FeedSubscription?> FindAsync(long feedId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SubscriptionColumns} FROM feeds WHERE id = @id");
        command.Parameters.Add(new NpgsqlParameter<long>("id", feedId));
        var found = await ReadAsync(command, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyList<FeedSubscription>> ListEnabledAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SubscriptionColumns} FROM feeds WHERE enabled ORDER BY id");
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>A 304: only the state row changes.</summary>
    public async Task RecordNotModifiedAsync(long feedId, int? status, TimeSpan? maxAge, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE feeds SET last_fetched_at = @now, last_success_at = @now, last_status = @status, error_count = 0,
                last_error = NULL, last_error_kind = NULL, consecutive_not_modified = consecutive_not_modified + 1,
                max_age_hint = coalesce(@max_age, max_age_hint), updated_at = @now
            WHERE id = @id
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("id", feedId));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", time.GetUtcNow().UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Integer) { Value = (object?)status ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("max_age", NpgsqlDbType.Interval) { Value = (object?)maxAge ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <param name="disable">The publisher said the feed is gone for good (410): stop fetching it, with the error as the reason.</param>
    public async Task RecordFailureAsync(
        long feedId, int? status, string error, string errorKind, DateTime? retryAfter, CancellationToken cancellationToken, bool disable = false)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE feeds SET last_fetched_at = @now, last_status = @status, error_count = error_count + 1,
                last_error = @error, last_error_kind = @kind, retry_after = @retry_after, updated_at = @now,
                enabled = enabled AND NOT @disable, disabled_reason = CASE WHEN @disable THEN @error ELSE disabled_reason END
            WHERE id = @id
            """);
        command.Parameters.Add(new NpgsqlParameter<bool>("disable", disable));
        command.Parameters.Add(new NpgsqlParameter<long>("id", feedId));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", time.GetUtcNow().UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Integer) { Value = (object?)status ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string>("error", error));
        command.Parameters.Add(new NpgsqlParameter<string>("kind", errorKind));
        command.Parameters.Add(new NpgsqlParameter("retry_after", NpgsqlDbType.TimestampTz) { Value = (object?)retryAfter ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs inside the article batch's transaction, so state and articles commit together.</summary>
    internal static async Task RecordSuccessAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long feedId, FeedFetchSuccess success, DateTime now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE feeds SET etag = @etag, last_modified = @last_modified, last_fetched_at = @now, last_success_at = @now,
                last_status = @status, error_count = 0, last_error = NULL, last_error_kind = NULL, retry_after = NULL,
                consecutive_not_modified = 0, title = coalesce(@title, title), site_url = coalesce(@site_url, site_url),
                ttl_hint = @ttl, update_interval_hint = @update_interval, max_age_hint = @max_age,
                redirected_to = coalesce(@redirect, redirected_to), updated_at = @now
            WHERE id = @id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("id", feedId));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
        command.Parameters.Add(Nullable("etag", NpgsqlDbType.Text, success.ETag));
        command.Parameters.Add(Nullable("last_modified", NpgsqlDbType.Text, success.LastModified));
        command.Parameters.Add(Nullable("status", NpgsqlDbType.Integer, success.Status));
        command.Parameters.Add(Nullable("title", NpgsqlDbType.Text, success.Title));
        command.Parameters.Add(Nullable("site_url", NpgsqlDbType.Text, success.SiteUrl));
        command.Parameters.Add(Nullable("ttl", NpgsqlDbType.Interval, success.TtlHint));
        command.Parameters.Add(Nullable("update_interval", NpgsqlDbType.Interval, success.UpdateIntervalHint));
        command.Parameters.Add(Nullable("max_age", NpgsqlDbType.Interval, success.MaxAgeHint));
        command.Parameters.Add(Nullable("redirect", NpgsqlDbType.Text, success.PermanentRedirect));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value) => new(name, type) { Value = value ?? DBNull.Value };

    private static async Task<List<FeedSubscription>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var feeds = new List<FeedSubscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            feeds.Add(new FeedSubscription(
                reader.GetInt64(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetBoolean(4), reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return feeds;
    }
}
