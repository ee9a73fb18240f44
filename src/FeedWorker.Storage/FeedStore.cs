using FeedWorker.Ingestion;
using FeedWorker.Ingestion.Parsing;
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
/// <param name="Url">Where to fetch: the permanent redirect's target when there is one.</param>
/// <param name="Claim">Set when the scheduler claimed the feed: the recording of the fetch then also plans the next one and ends the claim.</param>
/// <param name="ConfiguredUrl">The feed's identity (<c>feeds.url</c>), which its configured controls are found by.</param>
/// <param name="Language">The configured language (<see cref="FeedDefinition.Language"/>).</param>
public sealed record FeedSubscription(
    long Id, string Url, string? ETag, string? LastModified, bool FetchFullContent, bool Enabled, FeedClaim? Claim = null,
    string? ConfiguredUrl = null, string? Language = null);

/// <summary>What a successful fetch tells the feed's state row.</summary>
/// <param name="Warnings">What was repaired, dropped or skipped: counted in <c>warning_count</c>, the first few kept in <c>last_warning</c>.</param>
public sealed record FeedFetchSuccess(
    int? Status, string? ETag, string? LastModified, string? Title, string? SiteUrl,
    TimeSpan? TtlHint, TimeSpan? UpdateIntervalHint, TimeSpan? MaxAgeHint, string? PermanentRedirect,
    IReadOnlyList<string>? Warnings = null)
{
    private const int ShownWarnings = 3;
    private const int MaxWarningLength = 2000;

    /// <summary>The first few warnings, bounded: enough to see what went wrong without storing a feed's worth of them.</summary>
    internal string? WarningSummary()
    {
        if (Warnings is not { Count: > 0 } warnings)
        {
            return null;
        }
        var shown = string.Join(" | ", warnings.Take(ShownWarnings))
            + (warnings.Count > ShownWarnings ? $" | and {warnings.Count - ShownWarnings} more" : "");
        // warnings may quote the feed's raw text (an unparsable date), and the cut may split a surrogate pair
        return StorableText.Clean(shown.Length > MaxWarningLength ? shown[..MaxWarningLength] + "…" : shown);
    }
}

/// <summary>Writes a feed's state inside the transaction that stores its articles, so that both commit together.</summary>
/// <param name="storeWarnings">Items the store skipped or repaired, recorded beside the document's own warnings.</param>
public delegate Task FeedStateWrite(
    NpgsqlConnection connection, NpgsqlTransaction transaction, DateTime now, IReadOnlyList<string> storeWarnings, CancellationToken cancellationToken);

/// <summary>
/// The <c>feeds</c> table, its one owner: subscriptions, the fetch state each fetch records, and the
/// schedule (claims of due feeds, their next fetch). Every statement is parameterized.
/// </summary>
/// <param name="planner">Plans the next fetch of a claimed feed; without one (commands that do not schedule) next_fetch_at is left alone.</param>
public sealed class FeedStore(NpgsqlDataSource dataSource, TimeProvider time, IFetchPlanner? planner = null)
{
    public const string RemovedFromConfiguration = "removed from configuration";

    private const string SubscriptionColumns = "id, coalesce(redirected_to, url), etag, last_modified, fetch_full_content, enabled, url, language";

    /// <summary>Ends the claim of the replica that records, and only its own: a lapsed claim may have been taken over.</summary>
    private const string EndClaim = """
        claimed_by = CASE WHEN claimed_by = @owner THEN NULL ELSE claimed_by END,
        claim_until = CASE WHEN claimed_by = @owner THEN NULL ELSE claim_until END
        """;

    /// <summary>
    /// Upserts the configured feeds (a row is rewritten only when its configured values differ; a new
    /// one is due at once), then retires configured feeds that are no longer in the list (their
    /// articles stay) and brings back those retired that way that returned. <c>run</c> and
    /// <c>once</c> both sync through here, so they agree on the feed list. Returns how many feeds
    /// were retired or brought back.
    /// </summary>
    public async Task<int> SyncAsync(IReadOnlyList<FeedDefinition> feeds, CancellationToken cancellationToken)
    {
        var unique = feeds.DistinctBy(f => f.Url).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionDisposal = transaction.ConfigureAwait(false);
        var upsert = new NpgsqlCommand("""
            INSERT INTO feeds (url, name, origin, fetch_interval, fetch_full_content, tags, language, next_fetch_at, created_at, updated_at)
            SELECT t.url, t.name, t.origin, t.fetch_interval, t.fetch_full_content,
                   ARRAY(SELECT jsonb_array_elements_text(t.tags)), t.language, @now, @now, @now
            FROM unnest(@url, @name, @origin, @interval, @full, @tags, @language)
                AS t(url, name, origin, fetch_interval, fetch_full_content, tags, language)
            ON CONFLICT (url) DO UPDATE SET
                name = excluded.name, origin = excluded.origin, fetch_interval = excluded.fetch_interval,
                fetch_full_content = excluded.fetch_full_content, tags = excluded.tags, language = excluded.language,
                updated_at = excluded.updated_at
            WHERE (feeds.name, feeds.origin, feeds.fetch_interval, feeds.fetch_full_content, feeds.tags, feeds.language)
                  IS DISTINCT FROM (excluded.name, excluded.origin, excluded.fetch_interval, excluded.fetch_full_content, excluded.tags, excluded.language)
            """, connection, transaction);
        await using (upsert.ConfigureAwait(false))
        {
            upsert.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
            upsert.Parameters.Add(new NpgsqlParameter<string[]>("url", unique.Select(f => f.Url).ToArray()));
            upsert.Parameters.Add(new NpgsqlParameter<string?[]>("name", unique.Select(f => f.Name).ToArray()));
            upsert.Parameters.Add(new NpgsqlParameter<string[]>("origin", unique.Select(f => f.Origin).ToArray()));
            upsert.Parameters.Add(new NpgsqlParameter("interval", NpgsqlDbType.Array | NpgsqlDbType.Interval) { Value = unique.Select(f => (object?)f.Interval ?? DBNull.Value).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<bool[]>("full", unique.Select(f => f.FetchFullContent).ToArray()));
            upsert.Parameters.Add(new NpgsqlParameter("tags", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = unique.Select(f => System.Text.Json.JsonSerializer.Serialize(f.Tags)).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<string?[]>("language", unique.Select(f => f.Language).ToArray()));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        int changed;
        var retire = new NpgsqlCommand("""
            UPDATE feeds SET
                enabled = url = ANY(@urls),
                disabled_reason = CASE WHEN url = ANY(@urls) THEN NULL ELSE @reason END,
                next_fetch_at = CASE WHEN url = ANY(@urls) THEN least(next_fetch_at, @now) ELSE next_fetch_at END,
                updated_at = @now
            WHERE origin IN ('config', 'opml')
              AND ((enabled AND NOT url = ANY(@urls)) OR (NOT enabled AND disabled_reason = @reason AND url = ANY(@urls)))
            """, connection, transaction);
        await using (retire.ConfigureAwait(false))
        {
            retire.Parameters.Add(new NpgsqlParameter<string[]>("urls", unique.Select(f => f.Url).ToArray()));
            retire.Parameters.Add(new NpgsqlParameter<string>("reason", RemovedFromConfiguration));
            retire.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
            changed = await retire.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    /// <summary>The feed with this URL, added with origin <c>adhoc</c> when it is not known yet.</summary>
    public async Task<FeedSubscription> EnsureAsync(string url, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand($"""
            WITH added AS (
                INSERT INTO feeds (url, origin, created_at, updated_at) VALUES (@url, 'adhoc', @now, @now)
                ON CONFLICT (url) DO NOTHING
                RETURNING *)
            SELECT {SubscriptionColumns} FROM added
            UNION ALL
            SELECT {SubscriptionColumns} FROM feeds WHERE url = @url
            """);
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string>("url", url));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", time.GetUtcNow().UtcDateTime));
        var found = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : await EnsureAsync(url, cancellationToken).ConfigureAwait(false); // lost a race with a concurrent insert: read again
    }

    /// <summary>The feed with this id, or null when it was deleted.</summary>
    public async Task<FeedSubscription?> FindAsync(long feedId, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand($"SELECT {SubscriptionColumns} FROM feeds WHERE id = @id");
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<long>("id", feedId));
        var found = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyList<FeedSubscription>> ListEnabledAsync(CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand($"SELECT {SubscriptionColumns} FROM feeds WHERE enabled ORDER BY id");
        await using var commandDisposal = command.ConfigureAwait(false);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountEnabledAsync(CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand("SELECT count(*) FROM feeds WHERE enabled");
        await using var commandDisposal = command.ConfigureAwait(false);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due feeds for <paramref name="owner"/> until
    /// <paramref name="leaseUntil"/>, the longest overdue first, in one statement. Rows another
    /// replica is claiming at this moment are skipped, not waited for; a claim whose lease lapsed
    /// (its replica died) can be taken. next_fetch_at is not touched: it stays the plan SQL users see.
    /// </summary>
    /// <param name="countArticles">
    /// Count each feed's articles of the last week, for feeds that adapt their interval to it: one more
    /// statement per batch. Kept out of the claim, so that a lock on the article tables cannot stop
    /// the claiming; when the count fails the feeds of this batch are planned without adapting.
    /// </param>
    public async Task<IReadOnlyList<FeedSubscription>> ClaimDueAsync(
        string owner, int limit, DateTimeOffset leaseUntil, bool countArticles, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = new List<FeedSubscription>();
        var command = dataSource.CreateCommand("""
            UPDATE feeds f SET claimed_by = @owner, claim_until = @until
            FROM (SELECT id, claimed_by AS previous FROM feeds
                  WHERE enabled AND next_fetch_at <= @now AND (claim_until IS NULL OR claim_until < @now)
                  ORDER BY next_fetch_at
                  LIMIT @limit
                  FOR UPDATE SKIP LOCKED) due
            WHERE f.id = due.id
            RETURNING f.id, coalesce(f.redirected_to, f.url), f.etag, f.last_modified, f.fetch_full_content, f.enabled,
                f.fetch_interval, f.ttl_hint, f.update_interval_hint, f.max_age_hint, f.retry_after, f.error_count, due.previous, f.url, f.language
            """);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("owner", owner));
            command.Parameters.Add(new NpgsqlParameter<DateTime>("until", leaseUntil.UtcDateTime));
            command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
            command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var facts = new FeedScheduleFacts(
                    Interval(reader, 6), Interval(reader, 7), Interval(reader, 8), Interval(reader, 9),
                    reader.IsDBNull(10) ? null : reader.GetDateTime(10), reader.GetInt32(11), ArticlesLastWeek: null);
                claimed.Add(new FeedSubscription(
                    reader.GetInt64(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), reader.GetBoolean(4), reader.GetBoolean(5),
                    new FeedClaim(owner, Text(reader, 12), facts), reader.GetString(13), Text(reader, 14)));
            }
        }
        var adapting = claimed.Where(f => f.Claim!.Facts.Interval is null).Select(f => f.Id).ToArray();
        if (!countArticles || adapting.Length == 0)
        {
            return claimed;
        }
        try
        {
            var counts = await CountArticlesLastWeekAsync(adapting, now, cancellationToken).ConfigureAwait(false);
            return claimed.Select(f => f.Claim!.Facts.Interval is not null ? f
                : f with { Claim = f.Claim with { Facts = f.Claim.Facts with { ArticlesLastWeek = counts.GetValueOrDefault(f.Id) } } }).ToList();
        }
        catch (Exception e) when (StorageUnavailableException.IsUnavailable(e))
        {
            return claimed;
        }
    }

    private async Task<Dictionary<long, int>> CountArticlesLastWeekAsync(long[] feedIds, DateTime now, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand("""
            SELECT fa.feed_id, count(*)::int FROM feed_articles fa JOIN articles a ON a.id = fa.article_id
            WHERE fa.feed_id = ANY(@ids) AND coalesce(a.published_at, fa.first_seen_at) > @week_ago
            GROUP BY fa.feed_id
            """);
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", feedIds));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("week_ago", now.AddDays(-7)));
        var counts = new Dictionary<long, int>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetInt64(0)] = reader.GetInt32(1);
        }
        return counts;
    }

    /// <summary>Extends every claim <paramref name="owner"/> holds: the replica is alive and still working on them.</summary>
    public async Task<int> RenewClaimsAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand("UPDATE feeds SET claim_until = @until WHERE claim_until IS NOT NULL AND claimed_by = @owner");
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string>("owner", owner));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("until", leaseUntil.UtcDateTime));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives back claims of <paramref name="owner"/> (all of them, or the listed feeds) unfetched: they stay due.</summary>
    public async Task<int> ReleaseClaimsAsync(string owner, IReadOnlyCollection<long>? feedIds, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand("""
            UPDATE feeds SET claimed_by = NULL, claim_until = NULL
            WHERE claim_until IS NOT NULL AND claimed_by = @owner AND (@all OR id = ANY(@ids))
            """);
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string>("owner", owner));
        command.Parameters.Add(new NpgsqlParameter<bool>("all", feedIds is null));
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", feedIds?.ToArray() ?? []));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Clears claims whose lease lapsed (their replica stopped without giving them back); returns each former owner and its count.</summary>
    public async Task<IReadOnlyList<(string Owner, int Feeds)>> ClearLapsedClaimsAsync(CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand("""
            WITH lapsed AS (
                UPDATE feeds f SET claimed_by = NULL, claim_until = NULL
                FROM (SELECT id, claimed_by FROM feeds WHERE claim_until < @now FOR UPDATE SKIP LOCKED) old
                WHERE f.id = old.id
                RETURNING old.claimed_by)
            SELECT claimed_by, count(*)::int FROM lapsed GROUP BY claimed_by
            """);
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", time.GetUtcNow().UtcDateTime));
        var owners = new List<(string, int)>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            owners.Add((reader.GetString(0), reader.GetInt32(1)));
        }
        return owners;
    }

    /// <summary>A 304: the state row, the next fetch and the end of the claim, in one statement.</summary>
    public async Task RecordNotModifiedAsync(FeedSubscription feed, int? status, TimeSpan? maxAge, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var next = Plan(feed, f => f with { ErrorCount = 0, RetryAfter = null, MaxAgeHint = maxAge ?? f.MaxAgeHint }, now);
        var command = dataSource.CreateCommand($"""
            UPDATE feeds SET last_fetched_at = @now, last_success_at = @now, last_status = @status, error_count = 0,
                last_error = NULL, last_error_kind = NULL, consecutive_not_modified = consecutive_not_modified + 1,
                max_age_hint = coalesce(@max_age, max_age_hint), updated_at = @now,
                next_fetch_at = coalesce(@next, next_fetch_at), {EndClaim}
            WHERE id = @id
            """);
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<long>("id", feed.Id));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now.UtcDateTime));
        command.Parameters.Add(Nullable("status", NpgsqlDbType.Integer, status));
        command.Parameters.Add(Nullable("max_age", NpgsqlDbType.Interval, maxAge));
        AddPlan(command, feed, next);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A failed fetch, its next attempt (backed off) and the end of the claim, in one statement.</summary>
    /// <param name="disable">The publisher said the feed is gone for good (410): stop fetching it, with the error as the reason.</param>
    /// <returns>The next fetch planned for a claimed feed; null when the caller does not schedule (<c>once</c>).</returns>
    public async Task<DateTimeOffset?> RecordFailureAsync(
        FeedSubscription feed, int? status, string error, FeedErrorKind errorKind, DateTime? retryAfter, bool disable = false, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var next = Plan(feed, f => f with { ErrorCount = f.ErrorCount + 1, RetryAfter = retryAfter }, now);
        var command = dataSource.CreateCommand($"""
            UPDATE feeds SET last_fetched_at = @now, last_status = @status, error_count = error_count + 1,
                last_error = @error, last_error_kind = @kind, retry_after = @retry_after, updated_at = @now,
                enabled = enabled AND NOT @disable, disabled_reason = CASE WHEN @disable THEN @error ELSE disabled_reason END,
                next_fetch_at = coalesce(@next, next_fetch_at), {EndClaim}
            WHERE id = @id
            """);
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<bool>("disable", disable));
        command.Parameters.Add(new NpgsqlParameter<long>("id", feed.Id));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now.UtcDateTime));
        command.Parameters.Add(Nullable("status", NpgsqlDbType.Integer, status));
        // error texts quote what servers and documents sent (a reason phrase with a NUL): stored as text PostgreSQL takes
        command.Parameters.Add(new NpgsqlParameter<string>("error", StorableText.Clean(error)));
        command.Parameters.Add(new NpgsqlParameter<string>("kind", FeedErrorKindText.Of(errorKind)));
        command.Parameters.Add(Nullable("retry_after", NpgsqlDbType.TimestampTz, retryAfter));
        AddPlan(command, feed, next);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return disable ? null : next;
    }

    /// <summary>
    /// The database failed the worker while it handled this feed: the feed did nothing wrong, so its
    /// fetch state stays, it is tried again at <paramref name="retryAt"/>, and the claim ends. With
    /// <paramref name="error"/> (a fault that persists for this one feed) it is also recorded on the row.
    /// </summary>
    public async Task RecordDatabaseFailureAsync(FeedSubscription feed, DateTimeOffset retryAt, string? error, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand($"""
            UPDATE feeds SET next_fetch_at = @next, {EndClaim},
                error_count = error_count + CASE WHEN @record THEN 1 ELSE 0 END,
                last_error = CASE WHEN @record THEN @error ELSE last_error END,
                last_error_kind = CASE WHEN @record THEN @kind ELSE last_error_kind END,
                last_fetched_at = CASE WHEN @record THEN @now ELSE last_fetched_at END
            WHERE id = @id
            """);
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<long>("id", feed.Id));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", time.GetUtcNow().UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("next", retryAt.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<string?>("owner", feed.Claim?.Owner));
        command.Parameters.Add(new NpgsqlParameter<bool>("record", error is not null));
        command.Parameters.Add(new NpgsqlParameter<string>("kind", FeedErrorKindText.Of(FeedErrorKind.Database)));
        command.Parameters.Add(Nullable("error", NpgsqlDbType.Text, StorableText.CleanOrNull(error)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The write of a successful fetch, for <see cref="ArticleStore.StoreAsync"/> to run inside its
    /// transaction: the state, the next fetch (counting the articles just stored when the feed adapts
    /// to its publishing rate) and the end of the claim.
    /// </summary>
    public FeedStateWrite Succeeded(FeedSubscription feed, FeedFetchSuccess success) => async (connection, transaction, now, storeWarnings, cancellationToken) =>
    {
        int? articlesLastWeek = feed.Claim?.Facts.ArticlesLastWeek is null ? null
            : await CountArticlesLastWeekAsync(connection, transaction, feed.Id, now, cancellationToken).ConfigureAwait(false);
        var next = Plan(feed, f => f with
        {
            ErrorCount = 0, RetryAfter = null, ArticlesLastWeek = articlesLastWeek,
            TtlHint = success.TtlHint, UpdateIntervalHint = success.UpdateIntervalHint, MaxAgeHint = success.MaxAgeHint,
        }, new DateTimeOffset(now, TimeSpan.Zero));
        var command = new NpgsqlCommand($"""
            UPDATE feeds SET etag = @etag, last_modified = @last_modified, last_fetched_at = @now, last_success_at = @now,
                last_status = @status, error_count = 0, last_error = NULL, last_error_kind = NULL, retry_after = NULL,
                consecutive_not_modified = 0, title = coalesce(@title, title), site_url = coalesce(@site_url, site_url),
                ttl_hint = @ttl, update_interval_hint = @update_interval, max_age_hint = @max_age,
                redirected_to = coalesce(@redirect, redirected_to), updated_at = @now,
                warning_count = @warning_count, last_warning = @last_warning,
                next_fetch_at = coalesce(@next, next_fetch_at), {EndClaim}
            WHERE id = @id
            """, connection, transaction);
        await using var commandDisposal = command.ConfigureAwait(false);
        IReadOnlyList<string> warnings = [.. success.Warnings ?? [], .. storeWarnings];
        command.Parameters.Add(new NpgsqlParameter<int>("warning_count", warnings.Count));
        command.Parameters.Add(Nullable("last_warning", NpgsqlDbType.Text, (success with { Warnings = warnings }).WarningSummary()));
        command.Parameters.Add(new NpgsqlParameter<long>("id", feed.Id));
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
        AddPlan(command, feed, next);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    };

    private static async Task<int> CountArticlesLastWeekAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long feedId, DateTime now, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("""
            SELECT count(*)::int FROM feed_articles fa JOIN articles a ON a.id = fa.article_id
            WHERE fa.feed_id = @id AND coalesce(a.published_at, fa.first_seen_at) > @week_ago
            """, connection, transaction);
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<long>("id", feedId));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("week_ago", now.AddDays(-7)));
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The next fetch of a claimed feed, from what the claim knew updated by the fetch's outcome; null when nothing plans.</summary>
    private DateTimeOffset? Plan(FeedSubscription feed, Func<FeedScheduleFacts, FeedScheduleFacts> outcome, DateTimeOffset now) =>
        feed.Claim is { } claim && planner is not null ? planner.Plan(outcome(claim.Facts), now) : null;

    private static void AddPlan(NpgsqlCommand command, FeedSubscription feed, DateTimeOffset? next)
    {
        command.Parameters.Add(Nullable("next", NpgsqlDbType.TimestampTz, next?.UtcDateTime));
        command.Parameters.Add(Nullable("owner", NpgsqlDbType.Text, feed.Claim?.Owner));
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value) => new(name, type) { Value = value ?? DBNull.Value };

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static TimeSpan? Interval(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetTimeSpan(ordinal);

    private static async Task<List<FeedSubscription>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var feeds = new List<FeedSubscription>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            feeds.Add(new FeedSubscription(
                reader.GetInt64(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), reader.GetBoolean(4), reader.GetBoolean(5),
                ConfiguredUrl: reader.GetString(6), Language: Text(reader, 7)));
        }
        return feeds;
    }
}
