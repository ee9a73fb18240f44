using Npgsql;

namespace FeedWorker.IntegrationTests.Opml;

/// <summary>A <c>feeds</c> row as the OPML tests compare it.</summary>
public sealed record FeedRow(string Url, string? Name, string Origin, bool Enabled, string Tags)
{
    public static async Task<Dictionary<string, FeedRow>> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT url, name, origin, enabled, array_to_string(ARRAY(SELECT unnest(tags) ORDER BY 1), ',') FROM feeds", connection);
        var rows = new Dictionary<string, FeedRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new FeedRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetString(4));
            rows[row.Url] = row;
        }
        return rows;
    }
}
