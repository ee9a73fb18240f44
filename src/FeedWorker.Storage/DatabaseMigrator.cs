using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FeedWorker.Storage;

/// <summary>Applies the committed EF Core migrations; safe when several workers start at once.</summary>
public sealed partial class DatabaseMigrator(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, SearchConfigBackfill backfill, ILogger<DatabaseMigrator> logger)
{
    // pg_advisory_lock key: "FWmigrat". EF's own migration lock does not cover concurrent
    // creation of its history table by two fresh processes, this one does.
    private const long LockKey = 0x46_57_6D_69_67_72_61_74;

    private static readonly string[] CommittedMigrations = typeof(FeedWorkerDbContext).Assembly.GetTypes()
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id).OfType<string>().ToArray();

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ApplyMigrationsAsync(cancellationToken).ConfigureAwait(false);
            await backfill.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageUnavailableException.IsUnavailable(e))
        {
            throw new StorageUnavailableException($"PostgreSQL is unreachable ({Endpoint()}): {StorageUnavailableException.Describe(e)}", e);
        }
    }

    private async Task ApplyMigrationsAsync(CancellationToken cancellationToken)
    {
        // Building EF's model to learn that nothing is pending is most of a start-up's cost;
        // one query answers it for the usual start on an up-to-date database.
        if (await UpToDateAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
        await using (take.ConfigureAwait(false))
        {
            take.Parameters.AddWithValue("key", LockKey);
            take.CommandTimeout = 300; // another worker may be migrating
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using var scopeDisposal = scope.ConfigureAwait(false);
            var db = scope.ServiceProvider.GetRequiredService<FeedWorkerDbContext>();
            // on the connection that holds the lock: a pool of one connection must be enough to start
            db.Database.SetDbConnection(connection, contextOwnsConnection: false);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            if (pending.Count > 0)
            {
                LogApplying(pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // released explicitly: a pooled connection keeps its session locks until it is reused
            var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            await using var releaseDisposal = release.ConfigureAwait(false);
            release.Parameters.AddWithValue("key", LockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<bool> UpToDateAsync(CancellationToken cancellationToken)
    {
        var command = dataSource.CreateCommand("SELECT migration_id FROM \"__EFMigrationsHistory\"");
        await using var commandDisposal = command.ConfigureAwait(false);
        var applied = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetString(0));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return false; // a new database
        }
        return CommittedMigrations.All(applied.Contains);
    }

    private string Endpoint()
    {
        var cs = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"{cs.Host}:{cs.Port}/{cs.Database}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s): {Migrations}")]
    private partial void LogApplying(int count, string migrations);
}
