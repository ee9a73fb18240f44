using FeedWorker.Ingestion.Dedup;
using Npgsql;

namespace FeedWorker.Storage;

/// <summary>
/// Keeps the content an update is about to replace, in the update's transaction. Only a change of a
/// stored content field (title, summary, HTML or text) makes a revision: a feed whose other fields
/// churn (a comment count) does not grow <c>article_revisions</c>.
/// </summary>
internal static class ArticleRevisions
{
    /// <summary>
    /// The SQL condition "the incoming row <c>t</c> changes the content of article <c>a</c>", shared by
    /// this step and the update's revision number so that the two cannot disagree.
    /// </summary>
    public const string ContentChanged =
        "(a.title, a.summary, a.content_html, a.content_text) IS DISTINCT FROM (t.title, t.summary, t.content_html, t.content_text)";

    /// <summary>Copies the current content of each article whose content the incoming version changes.</summary>
    /// <param name="changes">The article ids with their incoming content, in the order of the update.</param>
    public static async Task SaveReplacedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(long ArticleId, PreparedItem Item)> changes, DateTime now,
        CancellationToken cancellationToken)
    {
        // FOR UPDATE: a writer of another feed carrying the same story waits here, then sees this
        // update's result and saves that as the replaced version
        var save = new NpgsqlCommand($"""
            INSERT INTO article_revisions (article_id, revision, title, summary, content_html, content_text, content_hash, replaced_at)
            SELECT a.id, a.revision, a.title, a.summary, a.content_html, a.content_text, a.content_hash, @now
            FROM articles a JOIN unnest(@id, @title, @summary, @content_html, @content_text) AS t(id, title, summary, content_html, content_text)
                ON a.id = t.id
            WHERE {ContentChanged}
            ORDER BY a.id
            FOR UPDATE OF a
            """, connection, transaction);
        await using var saveDisposal = save.ConfigureAwait(false);
        save.Parameters.Add(new NpgsqlParameter<DateTime>("now", now));
        save.Parameters.Add(new NpgsqlParameter<long[]>("id", changes.Select(c => c.ArticleId).ToArray()));
        save.Parameters.Add(new NpgsqlParameter<string?[]>("title", changes.Select(c => c.Item.Article.Title).ToArray()));
        save.Parameters.Add(new NpgsqlParameter<string?[]>("summary", changes.Select(c => c.Item.Article.Summary).ToArray()));
        save.Parameters.Add(new NpgsqlParameter<string?[]>("content_html", changes.Select(c => c.Item.Article.ContentHtml).ToArray()));
        save.Parameters.Add(new NpgsqlParameter<string?[]>("content_text", changes.Select(c => c.Item.Article.ContentText).ToArray()));
        await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
