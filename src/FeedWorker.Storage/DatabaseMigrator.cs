using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FeedWorker.Storage;

/// <summary>Applies the committed EF Core migrations; safe when several workers start at once.</summary>
public sealed class DatabaseMigrator(
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
            await ApplyMigrationsAsync(cancellationToken);
            await backfill.RunAsync(cancellationToken);
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
        if (await UpToDateAsync(cancellationToken))
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            take.Parameters.AddWithValue("key", LockKey);
            take.CommandTimeout = 300; // another worker may be migrating
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FeedWorkerDbContext>();
            // on the connection that holds the lock: a pool of one connection must be enough to start
            db.Database.SetDbConnection(connection, contextOwnsConnection: false);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken);
            }
        }
        finally
        {
            // released explicitly: a pooled connection keeps its session locks until it is reused
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            release.Parameters.AddWithValue("key", LockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task<bool> UpToDateAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT migration_id FROM \"__EFMigrationsHistory\"");
        var applied = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
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
}
