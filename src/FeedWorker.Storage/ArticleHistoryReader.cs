using Npgsql;

namespace FeedWorker.Storage;

/// <summary>One version of an article's content; <paramref name="ReplacedAt"/> is null for the current one.</summary>
public sealed record ArticleVersion(int Revision, string? Title, string? Summary, string? ContentText, DateTime? ReplacedAt);

/// <summary>An article's versions, oldest first, the current one last.</summary>
public sealed record ArticleHistory(long Id, string? Url, IReadOnlyList<ArticleVersion> Versions);

/// <summary>Reads an article's revisions (<c>article_revisions</c>) and its current version for <c>history</c>.</summary>
public sealed class ArticleHistoryReader(NpgsqlDataSource dataSource)
{
    /// <returns>Null when there is no article with this id.</returns>
    public async Task<ArticleHistory?> ReadAsync(long articleId, CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand("""
            SELECT a.url, v.revision, v.title, v.summary, v.content_text, v.replaced_at
            FROM articles a
            CROSS JOIN LATERAL (
                SELECT r.revision, r.title, r.summary, r.content_text, r.replaced_at FROM article_revisions r WHERE r.article_id = a.id
                UNION ALL
                SELECT a.revision, a.title, a.summary, a.content_text, NULL) v
            WHERE a.id = @id
            ORDER BY v.revision
            """);
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<long>("id", articleId));
        string? url = null;
        var versions = new List<ArticleVersion>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            url = reader.IsDBNull(0) ? null : reader.GetString(0);
            versions.Add(new ArticleVersion(
                reader.GetInt32(1), Text(reader, 2), Text(reader, 3), Text(reader, 4), reader.IsDBNull(5) ? null : reader.GetDateTime(5)));
        }
        return versions.Count == 0 ? null : new ArticleHistory(articleId, url, versions);
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
