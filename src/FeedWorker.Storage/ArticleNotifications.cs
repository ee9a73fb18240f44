using Npgsql;

namespace FeedWorker.Storage;

/// <summary>
/// <c>NOTIFY feedworker_articles</c>, one per new or changed article, queued inside the writing
/// transaction: PostgreSQL delivers them at commit and drops them on rollback, so listeners hear only
/// what was stored. Payloads carry ids only (a payload is limited to 8000 bytes).
/// </summary>
internal static class ArticleNotifications
{
    public const string Channel = "feedworker_articles";

    public static async Task SendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long feedId, IReadOnlyList<long> newIds, IReadOnlyList<long> updatedIds,
        CancellationToken cancellationToken)
    {
        if (newIds.Count == 0 && updatedIds.Count == 0) return;
        var notify = new NpgsqlCommand("""
            SELECT pg_notify(@channel, json_build_object('id', t.id, 'feed_id', @feed, 'kind', t.kind)::text)
            FROM unnest(@id, @kind) WITH ORDINALITY AS t(id, kind, n)
            ORDER BY t.n
            """, connection, transaction);
        await using var notifyDisposal = notify.ConfigureAwait(false);
        notify.Parameters.Add(new NpgsqlParameter<string>("channel", Channel));
        notify.Parameters.Add(new NpgsqlParameter<long>("feed", feedId));
        notify.Parameters.Add(new NpgsqlParameter<long[]>("id", newIds.Concat(updatedIds).ToArray()));
        notify.Parameters.Add(new NpgsqlParameter<string[]>("kind", newIds.Select(_ => "new").Concat(updatedIds.Select(_ => "updated")).ToArray()));
        await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
