using FeedWorker.IntegrationTests.Storage;
using Npgsql;

namespace FeedWorker.IntegrationTests.Controls;

/// <summary>Fresh databases for <c>once</c> runs, and the whole text of one for secret searches.</summary>
internal static class ControlledDatabase
{
    public static async Task<string> CreateAsync(StorageHost host, string prefix)
    {
        var name = $"fw_{prefix}_{Guid.NewGuid():N}";
        await using var connection = await host.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(host.ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Every row of every table (the application's and the job store's) as text.</summary>
    public static async Task<string> DumpAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables " +
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var dump = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            // the table names come from the catalog, quoted by quote_ident
            await using var rows = new NpgsqlCommand($"SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM {table} t", connection);
            dump.Append(table).Append('\n').Append((string)(await rows.ExecuteScalarAsync())!).Append('\n');
        }
        return dump.ToString();
    }

    public static async Task<List<string>> StringsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }
}
