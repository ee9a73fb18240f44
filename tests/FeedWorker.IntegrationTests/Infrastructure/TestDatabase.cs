using Npgsql;

namespace FeedWorker.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh database on the PostgreSQL that deploy/test.sh started, dropped when disposed, so test
/// classes never see each other's rows and can run in parallel.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public const string ServerVariable = "FEEDWORKER_TEST_CONNECTION";

    public string ConnectionString { get; private set; } = "";

    public string Name { get; } = $"fw_test_{Guid.NewGuid():N}";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set: these tests need the PostgreSQL that deploy/test.sh starts. Run deploy/test.sh.");

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
