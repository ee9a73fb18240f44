using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Parsing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using System.Text;
using System.Text.Json;

namespace FeedWorker.Storage;

/// <summary>
/// The write path: one feed's items in one transaction, through set-based statements over unnest()
/// arrays. EF Core owns the schema; SaveChanges is neither fast nor idempotent enough for this.
/// Known keys are filtered before inserting, because the tsvector and GIN cost is paid even for rows
/// that then conflict.
/// </summary>
public sealed partial class ArticleStore(
    NpgsqlDataSource dataSource, TimeProvider time, IOptions<NotificationOptions> notifications, ILogger<ArticleStore> logger)
{
    // pg_advisory_xact_lock namespace "FW" + feed id
    private const long FeedLockBase = 0x4657_0000_0000_0000;
    private const int Attempts = 4;

    /// <summary>
    /// Stores the items and the feed's success state atomically; retried on a lost race with another
    /// writer. An item that cannot be prepared or written is skipped with a warning naming its key, and
    /// the rest is stored; a database outage still fails the whole batch, so nothing is half-written.
    /// </summary>
    /// <param name="recordSuccess">The feed's state write (<see cref="FeedStore.Succeeded"/>), run in the same transaction with the store's warnings.</param>
    /// <param name="feedLanguage">The language of items that name none (the feed's own, else configured): their search configuration.</param>
    /// <param name="stored">What <see cref="StoredItemsAsync"/> read before cleaning; its unchanged items were left out of <paramref name="articles"/>.</param>
    public Task<StoreResult> StoreAsync(
        long feedId, IReadOnlyList<ParsedArticle> articles, FeedStateWrite recordSuccess, string? feedLanguage = null, StoredItems? stored = null,
        CancellationToken cancellationToken = default) =>
        StoreAsync(feedId, PreparedItems.Of(articles), recordSuccess, feedLanguage, stored, cancellationToken);

    /// <inheritdoc cref="StoreAsync(long, IReadOnlyList{ParsedArticle}, FeedStateWrite, string?, StoredItems?, CancellationToken)"/>
    /// <param name="items">The items keyed, with their article page's content for feeds that fetch it; the items that could not be keyed are in its warnings.</param>
    public async Task<StoreResult> StoreAsync(
        long feedId, PreparedItems items, FeedStateWrite recordSuccess, string? feedLanguage = null, StoredItems? stored = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        stored ??= StoredItems.None;
        // the common path writes the batch set-based; only when an item's data fails a statement is it
        // written again item by item, each in a savepoint, so one item cannot sink the feed
        var isolate = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteAsync(feedId, [.. items.Items], stored, recordSuccess, feedLanguage, isolate, items.Warnings, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!isolate && IsItemFault(e))
            {
                LogIsolating(e, feedId);
                isolate = true;
                attempt--;
            }
            catch (PostgresException e) when (attempt < Attempts && IsRace(e))
            {
                // another worker committed the same story between our lookup and our write: the next
                // attempt finds it and links to it
                LogRetryingRace(feedId, e.SqlState);
            }
        }
    }

    private async Task<StoreResult> WriteAsync(
        long feedId, List<PreparedItem> items, StoredItems stored, FeedStateWrite recordSuccess, string? feedLanguage, bool isolate,
        IReadOnlyList<string> warnings, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionDisposal = transaction.ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        await LockFeedAsync(connection, transaction, feedId, cancellationToken).ConfigureAwait(false);
        items = await PrunedItems.WithoutPrunedAsync(connection, transaction, feedId, items, cancellationToken).ConfigureAwait(false);
        var written = new List<string>(warnings);
        var documentKeys = items.Select(i => i.ItemKey).Concat(stored.UnchangedKeys).ToArray();
        Batch NewBatch() => new(connection, transaction, feedId, feedLanguage, now, documentKeys);
        var changes = new ArticleChanges();
        var result = (isolate
            ? await WriteEachAsync(transaction, NewBatch, items, written, changes, cancellationToken).ConfigureAwait(false)
            : await changes.StoreAsync(NewBatch(), items, cancellationToken).ConfigureAwait(false)).Add(stored.UnchangedResult);
        if (notifications.Value.Enabled)
        {
            await ArticleNotifications.SendAsync(connection, transaction, feedId, changes.NewIds, changes.UpdatedIds, cancellationToken).ConfigureAwait(false);
        }
        await recordSuccess(connection, transaction, now, written, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result.WithWarnings(written);
    }

    /// <summary>Each item in its own savepoint: an item whose data a statement rejects is rolled back alone and reported.</summary>
    private static async Task<StoreResult> WriteEachAsync(
        NpgsqlTransaction transaction, Func<Batch> newBatch, List<PreparedItem> items, List<string> warnings, ArticleChanges changes,
        CancellationToken ct)
    {
        const string savepoint = "item";
        var total = StoreResult.Empty;
        foreach (var item in items)
        {
            await transaction.SaveAsync(savepoint, ct).ConfigureAwait(false);
            try
            {
                total = total.Add(await changes.StoreAsync(newBatch(), [item], ct).ConfigureAwait(false));
                await transaction.ReleaseAsync(savepoint, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (IsItemFault(e))
            {
                await transaction.RollbackAsync(savepoint, ct).ConfigureAwait(false);
                warnings.Add($"item {item.ItemKey} skipped: the database refused it: {Describe(e)}");
            }
        }
        return total;
    }

    /// <summary>The articles a transaction inserted and rewrote, for its notifications: only batches that completed count.</summary>
    private sealed class ArticleChanges
    {
        public List<long> NewIds { get; } = [];
        public List<long> UpdatedIds { get; } = [];

        public async Task<StoreResult> StoreAsync(Batch batch, List<PreparedItem> items, CancellationToken ct)
        {
            var result = await batch.StoreAsync(items, ct).ConfigureAwait(false);
            NewIds.AddRange(batch.NewIds);
            UpdatedIds.AddRange(batch.UpdatedIds);
            return result;
        }
    }

    /// <summary>
    /// A statement failed because of one item's data (a value the column or an index cannot take), not
    /// because of the database or a race: isolating the item lets the rest be stored.
    /// </summary>
    private static bool IsItemFault(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("22", StringComparison.Ordinal) // data exception: encoding, range, escapes
            || p.SqlState.StartsWith("54", StringComparison.Ordinal) // program limit: index row size
            || p.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.NotNullViolation,
        // Npgsql could not encode a parameter: nothing was sent
        EncoderFallbackException => true,
        _ => false,
    };

    private static bool IsRace(PostgresException e) => e.SqlState is PostgresErrorCodes.UniqueViolation
        or PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    private static string Describe(Exception e) => e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : $"{e.GetType().Name}: {e.Message}";

    /// <summary>
    /// Writers of the same feed take turns, so the second sees the first one's keys and writes nothing.
    /// JIT is off for the transaction: its statements are short, and while the table has no statistics yet (a first
    /// run) their estimates pass jit_above_cost, so PostgreSQL compiled each near-copy lookup (15 ms) to run it for 1 ms.
    /// </summary>
    private static async Task LockFeedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long feedId, CancellationToken ct)
    {
        var lockFeed = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key), set_config('jit', 'off', true)", connection, transaction);
        await using var lockFeedDisposal = lockFeed.ConfigureAwait(false);
        lockFeed.Parameters.Add(new NpgsqlParameter<long>("key", FeedLockBase | feedId));
        await lockFeed.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// What this feed has stored of the document's items, read before they are cleaned: which are stored exactly as
    /// published (by <see cref="ParsedArticle.SourceFingerprint"/>), and the fingerprint stored under each item's key.
    /// </summary>
    /// <param name="published">The document's items as published: links final, HTML not yet cleaned.</param>
    public async Task<StoredItems> StoredItemsAsync(long feedId, IReadOnlyList<ParsedArticle> published, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(published);
        if (published.Count == 0)
        {
            return StoredItems.None;
        }
        // an item's key before cleaning is its key after, except for items with neither guid nor link, keyed by their
        // text (ItemKeys): those find nothing here, and have no page to fetch either
        var keys = published.Select(ItemKeys.For).Distinct(StringComparer.Ordinal).ToArray();
        var sources = published.Select(a => a.SourceFingerprint).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        // UNION ALL, not OR: the keys are probed in the primary key, and only the source fingerprints, which have no
        // index, are compared with every row of the feed
        var select = new NpgsqlCommand(
            """
            SELECT item_key, fingerprint, source_fingerprint FROM feed_articles WHERE feed_id = @feed AND item_key = ANY(@keys)
            UNION ALL
            SELECT item_key, fingerprint, source_fingerprint FROM feed_articles
            WHERE feed_id = @feed AND source_fingerprint = ANY(@sources) AND item_key <> ALL(@keys)
            """, connection);
        await using var selectDisposal = select.ConfigureAwait(false);
        select.Parameters.Add(new NpgsqlParameter<long>("feed", feedId));
        select.Parameters.Add(new NpgsqlParameter<string[]>("keys", keys));
        select.Parameters.Add(new NpgsqlParameter<string[]>("sources", sources));
        var wanted = sources.ToHashSet(StringComparer.Ordinal);
        var keysBySource = new Dictionary<string, string>(StringComparer.Ordinal);
        var fingerprintsByKey = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = reader.GetString(0);
            fingerprintsByKey[key] = reader.GetString(1);
            if (!reader.IsDBNull(2) && reader.GetString(2) is var source && wanted.Contains(source))
            {
                keysBySource.TryAdd(source, key);
            }
        }
        return new StoredItems(keysBySource, fingerprintsByKey);
    }

    private sealed record StoredItem(long ArticleId, string Fingerprint, string? SourceFingerprint);

    /// <summary>One transaction's work; holds the statements' shared parameters.</summary>
    /// <param name="feedLanguage">The language of items that name none: the search configuration's source.</param>
    /// <param name="documentKeys">Every item key of the feed's document, also when the batch is one item of it.</param>
    private sealed class Batch(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long feedId, string? feedLanguage, DateTime now, string[] documentKeys)
    {
        private int _unchanged, _duplicates, _near;

        /// <summary>Articles this batch inserted.</summary>
        public List<long> NewIds { get; } = [];

        /// <summary>Articles this batch rewrote.</summary>
        public List<long> UpdatedIds { get; } = [];

        public async Task<StoreResult> StoreAsync(List<PreparedItem> items, CancellationToken ct)
        {
            if (items.Count == 0)
            {
                return StoreResult.Empty;
            }
            var known = await KnownItemsAsync(items, ct).ConfigureAwait(false);
            var changed = new List<(PreparedItem Item, long ArticleId)>();
            var unknown = new List<PreparedItem>();
            var resourced = new List<PreparedItem>();
            foreach (var item in items)
            {
                if (!known.TryGetValue(item.ItemKey, out var k)) unknown.Add(item);
                else if (k.Fingerprint != item.Fingerprint) changed.Add((item, k.ArticleId));
                else
                {
                    _unchanged++;
                    // cleaned as before from a new source (a new cleaner, or a row stored before source fingerprints)
                    if (item.SourceFingerprint is not null && k.SourceFingerprint != item.SourceFingerprint) resourced.Add(item);
                }
            }
            if (resourced.Count > 0) await SetSourceFingerprintsAsync(resourced, ct).ConfigureAwait(false);
            if (changed.Count > 0) await UpdateChangedAsync(changed, ct).ConfigureAwait(false);
            if (unknown.Count > 0) await AddUnknownAsync(unknown, ct).ConfigureAwait(false);
            return new StoreResult(NewIds.Count - _near, UpdatedIds.Count, _unchanged, _duplicates, _near);
        }

        /// <summary>The batch's items this feed has stored, by item key: read under the feed's lock, so what the write decides on.</summary>
        private async Task<Dictionary<string, StoredItem>> KnownItemsAsync(List<PreparedItem> items, CancellationToken ct)
        {
            var select = Command("SELECT item_key, article_id, fingerprint, source_fingerprint FROM feed_articles WHERE feed_id = @feed AND item_key = ANY(@keys)");
            await using var selectDisposal = select.ConfigureAwait(false);
            select.Parameters.Add(new NpgsqlParameter<long>("feed", feedId));
            select.Parameters.Add(new NpgsqlParameter<string[]>("keys", items.Select(i => i.ItemKey).ToArray()));
            var known = new Dictionary<string, StoredItem>();
            var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                known[reader.GetString(0)] = new StoredItem(reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            }
            return known;
        }

        private async Task SetSourceFingerprintsAsync(List<PreparedItem> items, CancellationToken ct)
        {
            var update = Command("""
                UPDATE feed_articles fa SET source_fingerprint = t.source_fingerprint
                FROM unnest(@key, @source_fingerprint) AS t(item_key, source_fingerprint)
                WHERE fa.feed_id = @feed AND fa.item_key = t.item_key
                """);
            await using var updateDisposal = update.ConfigureAwait(false);
            update.Parameters.Add(new NpgsqlParameter<long>("feed", feedId));
            update.Parameters.Add(new NpgsqlParameter<string[]>("key", items.Select(i => i.ItemKey).ToArray()));
            update.Parameters.Add(new NpgsqlParameter<string?[]>("source_fingerprint", items.Select(i => i.SourceFingerprint).ToArray()));
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Layer 1: rewrites changed items in place. A new canonical URL or content hash that another
        /// article already holds is not taken over (the unique indexes stay intact).
        /// </summary>
        private async Task UpdateChangedAsync(List<(PreparedItem Item, long ArticleId)> changed, CancellationToken ct)
        {
            var rows = changed.DistinctBy(c => c.ArticleId).ToList();
            await ArticleRevisions.SaveReplacedAsync(connection, transaction, rows.Select(r => (r.ArticleId, r.Item)).ToList(), now, ct).ConfigureAwait(false);
            var update = Command($"""
                {SearchConfigs}
                UPDATE articles a SET
                    guid = t.guid, url = t.url,
                    canonical_url = CASE WHEN t.canonical_url IS NULL OR NOT EXISTS (
                        SELECT 1 FROM articles o WHERE o.canonical_url = t.canonical_url AND o.id <> a.id)
                        THEN t.canonical_url ELSE a.canonical_url END,
                    title = t.title, author = t.author, published_at = t.published_at,
                    updated_at = coalesce(t.updated_at, @now), summary = t.summary, content_html = t.content_html,
                    content_text = t.content_text, language = t.language,
                    categories = ARRAY(SELECT jsonb_array_elements_text(t.categories)), enclosures = t.enclosures,
                    content_hash = CASE WHEN t.content_hash IS NULL OR NOT EXISTS (
                        SELECT 1 FROM articles o WHERE o.content_hash = t.content_hash AND o.id <> a.id)
                        THEN t.content_hash END,
                    simhash = t.simhash, simhash_band0 = t.b0, simhash_band1 = t.b1, simhash_band2 = t.b2, simhash_band3 = t.b3,
                    search_config = c.search_config,
                    revision = a.revision + CASE WHEN {ArticleRevisions.ContentChanged} THEN 1 ELSE 0 END, last_seen_at = @now
                FROM unnest(@id, @guid, @url, @canonical_url, @title, @author, @published_at, @updated_at, @summary,
                            @content_html, @content_text, @language, @categories, @enclosures, @content_hash, @simhash,
                            @b0, @b1, @b2, @b3)
                     AS t(id, guid, url, canonical_url, title, author, published_at, updated_at, summary,
                          content_html, content_text, language, categories, enclosures, content_hash, simhash, b0, b1, b2, b3)
                JOIN config c ON c.language IS NOT DISTINCT FROM coalesce(t.language, @feed_language)
                WHERE a.id = t.id
                RETURNING a.id
                """);
            await using (update.ConfigureAwait(false))
            {
                update.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
                update.Parameters.Add(new NpgsqlParameter<long[]>("id", rows.Select(r => r.ArticleId).ToArray()));
                AddArticleColumns(update, rows.Select(r => r.Item).ToList());
                var reader = await update.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using var readerDisposal = reader.ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false)) UpdatedIds.Add(reader.GetInt64(0));
            }
            var relink = Command("""
                UPDATE feed_articles fa SET fingerprint = t.fingerprint, source_fingerprint = t.source_fingerprint, guid = t.guid, url = t.url
                FROM unnest(@key, @fingerprint, @source_fingerprint, @guid, @url) AS t(item_key, fingerprint, source_fingerprint, guid, url)
                WHERE fa.feed_id = @feed AND fa.item_key = t.item_key
                """);
            await using var relinkDisposal = relink.ConfigureAwait(false);
            relink.Parameters.Add(new NpgsqlParameter<long>("feed", feedId));
            relink.Parameters.Add(new NpgsqlParameter<string[]>("key", changed.Select(c => c.Item.ItemKey).ToArray()));
            relink.Parameters.Add(new NpgsqlParameter<string[]>("fingerprint", changed.Select(c => c.Item.Fingerprint).ToArray()));
            relink.Parameters.Add(new NpgsqlParameter<string?[]>("source_fingerprint", changed.Select(c => c.Item.SourceFingerprint).ToArray()));
            relink.Parameters.Add(new NpgsqlParameter<string?[]>("guid", changed.Select(c => c.Item.Article.Guid).ToArray()));
            relink.Parameters.Add(new NpgsqlParameter<string?[]>("url", changed.Select(c => c.Item.Article.Url).ToArray()));
            await relink.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        /// <summary>Layers 2, 3 and 4 for items this feed has not carried before.</summary>
        private async Task AddUnknownAsync(List<PreparedItem> unknown, CancellationToken ct)
        {
            var existing = await ExistingByKeysAsync(unknown, ct).ConfigureAwait(false);
            var links = new List<(PreparedItem Item, long ArticleId)>();
            var leaders = new List<PreparedItem>();
            var followers = new List<(PreparedItem Item, PreparedItem Leader)>();
            var leaderByUrl = new Dictionary<string, PreparedItem>();
            var leaderByHash = new Dictionary<string, PreparedItem>();
            foreach (var item in unknown)
            {
                if (existing.ArticleFor(item) is { } articleId)
                {
                    links.Add((item, articleId));
                }
                else if ((item.CanonicalUrl is { } u && leaderByUrl.TryGetValue(u, out var leader))
                         || (item.ContentHash is { } h && leaderByHash.TryGetValue(h, out leader)))
                {
                    followers.Add((item, leader));
                }
                else
                {
                    leaders.Add(item);
                    if (item.CanonicalUrl is { } url) leaderByUrl[url] = item;
                    if (item.ContentHash is { } hash) leaderByHash[hash] = item;
                }
            }

            var ids = await InsertAsync(leaders, ct).ConfigureAwait(false);
            var inserted = leaders.Where(ids.ContainsKey).ToList();
            // a leader that lost to a concurrent writer was not inserted: link to the winner instead
            var lost = leaders.Where(l => !ids.ContainsKey(l)).ToList();
            if (lost.Count > 0)
            {
                var winners = await ExistingByKeysAsync(lost, ct).ConfigureAwait(false);
                foreach (var item in lost)
                {
                    ids[item] = winners.ArticleFor(item)
                        ?? throw new InvalidOperationException($"Item '{item.ItemKey}' conflicted but no stored article matches it");
                    _duplicates++;
                    links.Add((item, ids[item]));
                }
            }
            var churned = await RekeyChurnedAsync(links, ct).ConfigureAwait(false);
            _duplicates += links.Count - lost.Count + followers.Count;
            _unchanged += churned;
            links.AddRange(followers.Select(f => (f.Item, ids[f.Leader])));
            await TouchAsync(links.Select(l => l.ArticleId).Distinct().ToArray(), ct).ConfigureAwait(false);
            await LinkAsync(inserted.Select(l => (l, ids[l])).Concat(links).ToList(), ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Guid churn: a new key for a story this feed already links under a key the document no longer
        /// carries is the same item renamed. Its link takes the newest key (and guid, link, fingerprint)
        /// instead of gaining a row per fetch. Removes the renamed items from <paramref name="links"/>;
        /// returns how many there were.
        /// </summary>
        private async Task<int> RekeyChurnedAsync(List<(PreparedItem Item, long ArticleId)> links, CancellationToken ct)
        {
            if (links.Count == 0) return 0;
            var oldKeys = new Dictionary<long, Queue<string>>();
            var select = Command("""
                SELECT article_id, item_key FROM feed_articles
                WHERE feed_id = @feed AND article_id = ANY(@ids) AND NOT item_key = ANY(@current)
                ORDER BY first_seen_at DESC, item_key
                """);
            await using (select.ConfigureAwait(false))
            {
                select.Parameters.Add(new NpgsqlParameter<long>("feed", feedId));
                select.Parameters.Add(new NpgsqlParameter<long[]>("ids", links.Select(l => l.ArticleId).Distinct().ToArray()));
                select.Parameters.Add(new NpgsqlParameter<string[]>("current", documentKeys));
                var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using var readerDisposal = reader.ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var articleId = reader.GetInt64(0);
                    if (!oldKeys.TryGetValue(articleId, out var keys)) oldKeys[articleId] = keys = new Queue<string>();
                    keys.Enqueue(reader.GetString(1));
                }
            }
            var renamed = new List<(string OldKey, PreparedItem Item)>();
            links.RemoveAll(l =>
            {
                if (!oldKeys.TryGetValue(l.ArticleId, out var keys) || !keys.TryDequeue(out var oldKey)) return false;
                renamed.Add((oldKey, l.Item));
                return true;
            });
            if (renamed.Count == 0) return 0;
            var rekey = Command("""
                UPDATE feed_articles fa SET item_key = t.item_key, guid = t.guid, url = t.url, fingerprint = t.fingerprint,
                    source_fingerprint = t.source_fingerprint
                FROM unnest(@old, @key, @guid, @url, @fingerprint, @source_fingerprint) AS t(old_key, item_key, guid, url, fingerprint, source_fingerprint)
                WHERE fa.feed_id = @feed AND fa.item_key = t.old_key
                """);
            await using var rekeyDisposal = rekey.ConfigureAwait(false);
            rekey.Parameters.Add(new NpgsqlParameter<long>("feed", feedId));
            rekey.Parameters.Add(new NpgsqlParameter<string[]>("old", renamed.Select(r => r.OldKey).ToArray()));
            rekey.Parameters.Add(new NpgsqlParameter<string[]>("key", renamed.Select(r => r.Item.ItemKey).ToArray()));
            rekey.Parameters.Add(new NpgsqlParameter<string?[]>("guid", renamed.Select(r => r.Item.Article.Guid).ToArray()));
            rekey.Parameters.Add(new NpgsqlParameter<string?[]>("url", renamed.Select(r => r.Item.Article.Url).ToArray()));
            rekey.Parameters.Add(new NpgsqlParameter<string[]>("fingerprint", renamed.Select(r => r.Item.Fingerprint).ToArray()));
            rekey.Parameters.Add(new NpgsqlParameter<string?[]>("source_fingerprint", renamed.Select(r => r.Item.SourceFingerprint).ToArray()));
            await rekey.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return renamed.Count;
        }

        private async Task<ExistingArticles> ExistingByKeysAsync(List<PreparedItem> items, CancellationToken ct)
        {
            var urls = items.Select(i => i.CanonicalUrl).OfType<string>().Distinct().ToArray();
            var hashes = items.Select(i => i.ContentHash).OfType<string>().Distinct().ToArray();
            var found = new ExistingArticles();
            if (urls.Length == 0 && hashes.Length == 0) return found;
            // one index probe per key (LATERAL ... LIMIT 1: both keys are unique). "= ANY(@urls) OR ..." was planned as a
            // sequential scan while the table had no statistics yet, which is all of a first run: half of PostgreSQL's time.
            var select = Command("""
                SELECT a.id, a.canonical_url, a.content_hash FROM unnest(@urls) AS k(url)
                CROSS JOIN LATERAL (SELECT id, canonical_url, content_hash FROM articles WHERE canonical_url = k.url LIMIT 1) a
                UNION
                SELECT a.id, a.canonical_url, a.content_hash FROM unnest(@hashes) AS k(hash)
                CROSS JOIN LATERAL (SELECT id, canonical_url, content_hash FROM articles WHERE content_hash = k.hash LIMIT 1) a
                """);
            await using var selectDisposal = select.ConfigureAwait(false);
            select.Parameters.Add(new NpgsqlParameter<string[]>("urls", urls));
            select.Parameters.Add(new NpgsqlParameter<string[]>("hashes", hashes));
            var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (!reader.IsDBNull(1)) found.ByUrl[reader.GetString(1)] = reader.GetInt64(0);
                if (!reader.IsDBNull(2)) found.ByHash[reader.GetString(2)] = reader.GetInt64(0);
            }
            return found;
        }

        /// <summary>
        /// Inserts the leaders with ids drawn up front, so near copies inside the batch can point at
        /// each other in the same statement. Returns the ids of the rows actually inserted.
        /// </summary>
        private async Task<Dictionary<PreparedItem, long>> InsertAsync(List<PreparedItem> leaders, CancellationToken ct)
        {
            // by reference: the record's value equality would hash each article's whole content per lookup
            var inserted = new Dictionary<PreparedItem, long>(ReferenceEqualityComparer.Instance);
            if (leaders.Count == 0) return inserted;
            var drawn = await DrawIdsAsync(leaders.Count, ct).ConfigureAwait(false);
            var originals = await NearOriginalsAsync(leaders, drawn, ct).ConfigureAwait(false);

            var insert = Command($"""
                {SearchConfigs}
                INSERT INTO articles (id, guid, url, canonical_url, title, author, published_at, updated_at, summary,
                    content_html, content_text, language, categories, enclosures, content_hash, simhash,
                    simhash_band0, simhash_band1, simhash_band2, simhash_band3, duplicate_of, first_seen_at, last_seen_at, revision, search_config)
                SELECT t.id, t.guid, t.url, t.canonical_url, t.title, t.author, t.published_at, t.updated_at, t.summary,
                    t.content_html, t.content_text, t.language, ARRAY(SELECT jsonb_array_elements_text(t.categories)), t.enclosures,
                    t.content_hash, t.simhash, t.b0, t.b1, t.b2, t.b3, t.duplicate_of, @now, @now, 1, c.search_config
                FROM unnest(@id, @guid, @url, @canonical_url, @title, @author, @published_at, @updated_at, @summary,
                            @content_html, @content_text, @language, @categories, @enclosures, @content_hash, @simhash,
                            @b0, @b1, @b2, @b3, @duplicate_of)
                     AS t(id, guid, url, canonical_url, title, author, published_at, updated_at, summary,
                          content_html, content_text, language, categories, enclosures, content_hash, simhash, b0, b1, b2, b3, duplicate_of)
                JOIN config c ON c.language IS NOT DISTINCT FROM coalesce(t.language, @feed_language)
                ORDER BY t.canonical_url, t.content_hash
                ON CONFLICT DO NOTHING
                RETURNING id, duplicate_of IS NOT NULL
                """);
            await using var insertDisposal = insert.ConfigureAwait(false);
            insert.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
            insert.Parameters.Add(new NpgsqlParameter<long[]>("id", drawn));
            insert.Parameters.Add(new NpgsqlParameter("duplicate_of", NpgsqlDbType.Array | NpgsqlDbType.Bigint)
            {
                Value = originals.Select(o => (object?)o ?? DBNull.Value).ToArray(),
            });
            AddArticleColumns(insert, leaders);
            var byId = leaders.Select((l, i) => (l, drawn[i])).ToDictionary(p => p.Item2, p => p.l);
            var reader = await insert.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                inserted[byId[reader.GetInt64(0)]] = reader.GetInt64(0);
                NewIds.Add(reader.GetInt64(0));
                if (reader.GetBoolean(1)) _near++;
            }
            return inserted;
        }

        /// <summary>
        /// <c>config</c>: the search configuration of each language in the batch (the item's, else the feed's), looked up
        /// once per language. Looked up per row, it was a twentieth of PostgreSQL's CPU in a cold ingest.
        /// </summary>
        private const string SearchConfigs = """
            WITH config AS MATERIALIZED (
                SELECT l.language, feedworker_search_config(l.language) AS search_config
                FROM (SELECT DISTINCT coalesce(item.language, @feed_language) AS language FROM unnest(@language) AS item(language)) l)
            """;

        private async Task<long[]> DrawIdsAsync(int count, CancellationToken ct)
        {
            var draw = Command("SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, @n)");
            await using var drawDisposal = draw.ConfigureAwait(false);
            draw.Parameters.Add(new NpgsqlParameter<int>("n", count));
            var ids = new long[count];
            var reader = await draw.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            for (var i = 0; await reader.ReadAsync(ct).ConfigureAwait(false); i++) ids[i] = reader.GetInt64(0);
            return ids;
        }

        /// <summary>
        /// Layer 4: for each leader, the original it nearly copies: a stored article found through the
        /// indexed 16-bit bands (a distance of 3 or less leaves at least one band equal), else an
        /// earlier leader of this batch.
        /// </summary>
        private async Task<long?[]> NearOriginalsAsync(List<PreparedItem> leaders, long[] drawn, CancellationToken ct)
        {
            var candidates = new List<(long Id, long Hash)>();
            var withHash = leaders.Where(l => l.Bands is not null).ToList();
            if (withHash.Count > 0)
            {
                // one index probe per band value, as in ExistingByKeysAsync (OFFSET 0 keeps each probe a subquery of its own:
                // flattened into a join, it would be planned as a sequential scan while the table has no statistics).
                // UNION ALL: an article found through two bands is a candidate twice, which changes no choice below.
                var select = Command("""
                    SELECT c.id, c.simhash FROM unnest(@b0) AS k(band)
                    CROSS JOIN LATERAL (SELECT coalesce(duplicate_of, id) AS id, simhash FROM articles WHERE simhash_band0 = k.band OFFSET 0) c
                    UNION ALL
                    SELECT c.id, c.simhash FROM unnest(@b1) AS k(band)
                    CROSS JOIN LATERAL (SELECT coalesce(duplicate_of, id) AS id, simhash FROM articles WHERE simhash_band1 = k.band OFFSET 0) c
                    UNION ALL
                    SELECT c.id, c.simhash FROM unnest(@b2) AS k(band)
                    CROSS JOIN LATERAL (SELECT coalesce(duplicate_of, id) AS id, simhash FROM articles WHERE simhash_band2 = k.band OFFSET 0) c
                    UNION ALL
                    SELECT c.id, c.simhash FROM unnest(@b3) AS k(band)
                    CROSS JOIN LATERAL (SELECT coalesce(duplicate_of, id) AS id, simhash FROM articles WHERE simhash_band3 = k.band OFFSET 0) c
                    """);
                await using var selectDisposal = select.ConfigureAwait(false);
                for (var band = 0; band < 4; band++)
                {
                    select.Parameters.Add(new NpgsqlParameter<int[]>($"b{band}", withHash.Select(l => l.Bands![band]).Distinct().ToArray()));
                }
                var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using var readerDisposal = reader.ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false)) candidates.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
            var originals = new long?[leaders.Count];
            for (var i = 0; i < leaders.Count; i++)
            {
                if (leaders[i].SimHash is not { } hash) continue;
                var best = candidates
                    .Select(c => (c.Id, Distance: SimHash.Distance(hash, c.Hash)))
                    .Where(c => c.Distance <= SimHash.NearDuplicateDistance)
                    .OrderBy(c => c.Distance).ThenBy(c => c.Id)
                    .Select(c => (long?)c.Id).FirstOrDefault();
                originals[i] = best;
                // later leaders of this batch may nearly copy this one (or its original)
                candidates.Add((best ?? drawn[i], hash));
            }
            return originals;
        }

        private async Task TouchAsync(long[] articleIds, CancellationToken ct)
        {
            if (articleIds.Length == 0) return;
            var touch = Command("UPDATE articles SET last_seen_at = @now WHERE id = ANY(@ids) AND last_seen_at < @now");
            await using var touchDisposal = touch.ConfigureAwait(false);
            touch.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
            touch.Parameters.Add(new NpgsqlParameter<long[]>("ids", articleIds));
            await touch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        private async Task LinkAsync(List<(PreparedItem Item, long ArticleId)> links, CancellationToken ct)
        {
            if (links.Count == 0) return;
            var link = Command("""
                INSERT INTO feed_articles (feed_id, item_key, article_id, guid, url, fingerprint, source_fingerprint, first_seen_at)
                SELECT @feed, t.item_key, t.article_id, t.guid, t.url, t.fingerprint, t.source_fingerprint, @now
                FROM unnest(@key, @article, @guid, @url, @fingerprint, @source_fingerprint)
                     AS t(item_key, article_id, guid, url, fingerprint, source_fingerprint)
                ON CONFLICT (feed_id, item_key) DO NOTHING
                """);
            await using var linkDisposal = link.ConfigureAwait(false);
            link.Parameters.Add(new NpgsqlParameter<long>("feed", feedId));
            link.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
            link.Parameters.Add(new NpgsqlParameter<string[]>("key", links.Select(l => l.Item.ItemKey).ToArray()));
            link.Parameters.Add(new NpgsqlParameter<long[]>("article", links.Select(l => l.ArticleId).ToArray()));
            link.Parameters.Add(new NpgsqlParameter<string?[]>("guid", links.Select(l => l.Item.Article.Guid).ToArray()));
            link.Parameters.Add(new NpgsqlParameter<string?[]>("url", links.Select(l => l.Item.Article.Url).ToArray()));
            link.Parameters.Add(new NpgsqlParameter<string[]>("fingerprint", links.Select(l => l.Item.Fingerprint).ToArray()));
            link.Parameters.Add(new NpgsqlParameter<string?[]>("source_fingerprint", links.Select(l => l.Item.SourceFingerprint).ToArray()));
            await link.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        private void AddArticleColumns(NpgsqlCommand command, List<PreparedItem> items)
        {
            var a = items.Select(i => i.Article).ToList();
            command.Parameters.Add(new NpgsqlParameter<string?>("feed_language", feedLanguage));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("guid", a.Select(x => x.Guid).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("url", a.Select(x => x.Url).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("canonical_url", items.Select(i => i.CanonicalUrl).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("title", a.Select(x => x.Title).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("author", a.Select(x => x.Author).ToArray()));
            command.Parameters.Add(Timestamps("published_at", a.Select(x => x.Published)));
            command.Parameters.Add(Timestamps("updated_at", a.Select(x => x.Updated)));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("summary", a.Select(x => x.Summary).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("content_html", a.Select(x => x.ContentHtml).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("content_text", a.Select(x => x.ContentText).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("language", a.Select(x => x.Language).ToArray()));
            command.Parameters.Add(new NpgsqlParameter("categories", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = a.Select(x => JsonSerializer.Serialize(x.Categories)).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("enclosures", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            {
                Value = a.Select(x => JsonSerializer.Serialize(x.Enclosures.Select(e => new { url = e.Url, type = e.Type, length = e.Length }))).ToArray(),
            });
            command.Parameters.Add(new NpgsqlParameter<string?[]>("content_hash", items.Select(i => i.ContentHash).ToArray()));
            command.Parameters.Add(new NpgsqlParameter("simhash", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = items.Select(i => (object?)i.SimHash ?? DBNull.Value).ToArray() });
            for (var band = 0; band < 4; band++)
            {
                command.Parameters.Add(new NpgsqlParameter($"b{band}", NpgsqlDbType.Array | NpgsqlDbType.Integer)
                {
                    Value = items.Select(i => i.Bands is { } b ? (object)b[band] : DBNull.Value).ToArray(),
                });
            }
        }

        // timestamptz takes UTC only
        private static NpgsqlParameter Timestamps(string name, IEnumerable<DateTimeOffset?> values) =>
            new(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = values.Select(v => v is { } d ? (object)d.UtcDateTime : DBNull.Value).ToArray() };

        private NpgsqlCommand Command(string sql) => new(sql, connection, transaction);
    }

    private sealed class ExistingArticles
    {
        public Dictionary<string, long> ByUrl { get; } = [];
        public Dictionary<string, long> ByHash { get; } = [];

        // layer 2 before layer 3: the same canonical URL is the same story even when its text was edited
        public long? ArticleFor(PreparedItem item) =>
            item.CanonicalUrl is { } u && ByUrl.TryGetValue(u, out var byUrl) ? byUrl
            : item.ContentHash is { } h && ByHash.TryGetValue(h, out var byHash) ? byHash
            : null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Feed {FeedId}: an item failed the batch; writing item by item")]
    private partial void LogIsolating(Exception exception, long feedId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Feed {FeedId}: retrying after a concurrent write ({SqlState})")]
    private partial void LogRetryingRace(long feedId, string sqlState);
}
