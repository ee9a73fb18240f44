using FeedWorker.IntegrationTests.Infrastructure;
using Npgsql;

namespace FeedWorker.IntegrationTests;

/// <summary>Proves the path every storage test relies on: deploy/test.sh's PostgreSQL, reachable and UTF-8 clean.</summary>
public sealed class PostgresPathTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public PostgresPathTests(TestDatabase database) => _database = database;

    [Fact]
    public async Task Server_is_a_supported_PostgreSQL()
    {
        await using var connection = await _database.OpenAsync();
        Assert.True(connection.PostgreSqlVersion.Major >= 13, $"PostgreSQL {connection.PostgreSqlVersion} is older than 13");
    }

    [Fact]
    public async Task Seed_article_text_round_trips_byte_for_byte()
    {
        var text = await File.ReadAllTextAsync(Seeds.PathOf(Seeds.SeedArticle));
        Assert.Contains("Shi\u2019ite", text);

        await using var connection = await _database.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE seed (body text NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        await using (var insert = new NpgsqlCommand("INSERT INTO seed (body) VALUES (@body)", connection))
        {
            insert.Parameters.AddWithValue("body", text);
            await insert.ExecuteNonQueryAsync();
        }
        await using var select = new NpgsqlCommand("SELECT body, length(body) FROM seed", connection);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(text, reader.GetString(0));
        Assert.Equal(text.Length, reader.GetInt32(1));
    }
}
