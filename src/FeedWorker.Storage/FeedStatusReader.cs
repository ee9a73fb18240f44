using Npgsql;

namespace FeedWorker.Storage;

/// <summary>A feed and its state as the <c>feeds</c> and <c>export-opml</c> commands show it.</summary>
/// <param name="ArticleCount">Articles this feed carried (rows of <c>feed_articles</c>).</param>
public sealed record FeedStatus(
    long Id, string Url, string? Name, string? Title, string? SiteUrl, string Origin, bool Enabled, string? DisabledReason,
    IReadOnlyList<string> Tags, DateTime? LastSuccessAt, DateTime? NextFetchAt, int ErrorCount, string? LastError, long ArticleCount,
    int WarningCount = 0, string? LastWarning = null);

/// <summary>Read-only views over <c>feeds</c> for reporting; one set-based statement each.</summary>
public sealed class FeedStatusReader(NpgsqlDataSource dataSource)
{
    /// <summary>Every feed, enabled or not, in id order, with its article count.</summary>
    public async Task<IReadOnlyList<FeedStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand("""
            SELECT f.id, f.url, f.name, f.title, f.site_url, f.origin, f.enabled, f.disabled_reason, f.tags,
                   f.last_success_at, f.next_fetch_at, f.error_count, f.last_error, coalesce(c.articles, 0),
                   f.warning_count, f.last_warning
            FROM feeds f
            LEFT JOIN (SELECT feed_id, count(*) AS articles FROM feed_articles GROUP BY feed_id) c ON c.feed_id = f.id
            ORDER BY f.id
            """);
        await using var commandDisposal = command.ConfigureAwait(false);
        var feeds = new List<FeedStatus>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            feeds.Add(new FeedStatus(
                reader.GetInt64(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4), reader.GetString(5),
                reader.GetBoolean(6), Text(reader, 7), reader.GetFieldValue<string[]>(8),
                Time(reader, 9), Time(reader, 10), reader.GetInt32(11), Text(reader, 12), reader.GetInt64(13),
                reader.GetInt32(14), Text(reader, 15)));
        }
        return feeds;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTime? Time(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDateTime(ordinal);
}
