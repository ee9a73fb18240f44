using FeedWorker.Ingestion;
using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.Refresh;
using FeedWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedWorker.IntegrationTests.Refresh;

/// <summary>The real refresh step (fetcher, parser, cleaner, storage) on a fresh, migrated test database.</summary>
/// <remarks>One public constructor: xunit builds it as a class fixture.</remarks>
public sealed class RefreshHost : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private ServiceProvider _services = null!;

    /// <summary>Ingestion settings (e.g. <c>FeedWorker:Fetcher:Timeout</c>); none gives the defaults.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public IServiceProvider Services => _services;
    public string ConnectionString => _database.ConnectionString;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddFeedIngestion(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build())
            .AddFeedStorage(_database.ConnectionString)
            .AddFeedRefresh()
            .BuildServiceProvider();
        await _services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    public async Task<FeedRefreshOutcome> RefreshAsync(string url)
    {
        var feed = await _services.GetRequiredService<FeedStore>().EnsureAsync(url, CancellationToken.None);
        return await _services.GetRequiredService<FeedRefresher>().RefreshAsync(feed, CancellationToken.None);
    }

    public sealed record FeedRow(int ErrorCount, string? LastError, string? LastErrorKind, int WarningCount, string? LastWarning, long Links);

    public async Task<FeedRow> FeedRowAsync(string url)
    {
        await using var connection = await _database.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT error_count, last_error, last_error_kind, warning_count, last_warning,
                   (SELECT count(*) FROM feed_articles fa WHERE fa.feed_id = f.id)
            FROM feeds f WHERE url = @url
            """, connection);
        command.Parameters.AddWithValue("url", url);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no feed row for {url}");
        return new FeedRow(
            reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5));
    }

    /// <summary>The item keys this feed links, with their article ids.</summary>
    public async Task<Dictionary<string, long>> LinksAsync(string url)
    {
        await using var connection = await _database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT fa.item_key, fa.article_id FROM feed_articles fa JOIN feeds f ON f.id = fa.feed_id WHERE f.url = @url", connection);
        command.Parameters.AddWithValue("url", url);
        var links = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) links[reader.GetString(0)] = reader.GetInt64(1);
        return links;
    }

    /// <summary>Runs a statement on the test database (a constraint a test adds, say).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await _database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await _database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
