using Microsoft.Extensions.Logging;
using Npgsql;

namespace FeedWorker.Storage;

/// <summary>
/// Gives the articles stored before per-language search their configuration (from their language)
/// and so their rebuilt search_vector, a small batch per transaction: row locks on a thousand rows
/// at a time, never a table lock. Replicas share the work (SKIP LOCKED); once done, the check is one
/// probe of an empty partial index.
/// </summary>
public sealed partial class SearchConfigBackfill(NpgsqlDataSource dataSource, ILogger<SearchConfigBackfill> logger)
{
    private const int BatchSize = 1000;

    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        long done = 0;
        while (true)
        {
            var batch = dataSource.CreateCommand("""
                UPDATE articles SET search_config = feedworker_search_config(language)
                WHERE id IN (SELECT id FROM articles WHERE search_config IS NULL LIMIT @batch FOR UPDATE SKIP LOCKED)
                """);
            await using var batchDisposal = batch.ConfigureAwait(false);
            batch.Parameters.Add(new NpgsqlParameter<int>("batch", BatchSize));
            var rows = await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (rows == 0) break;
            done += rows;
            LogProgress(done);
        }
        return done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search configuration backfill: {Rows} article(s) so far")]
    private partial void LogProgress(long rows);
}
