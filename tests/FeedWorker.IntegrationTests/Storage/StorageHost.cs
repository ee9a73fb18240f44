using FeedWorker.Ingestion;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Parsing;
using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedWorker.IntegrationTests.Storage;

/// <summary>The real storage services on a fresh, migrated test database.</summary>
public sealed class StorageHost : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private ServiceProvider? _services;

    public string ConnectionString => _database.ConnectionString;
    public IServiceProvider Services => _services!;
    public ArticleStore Articles => Services.GetRequiredService<ArticleStore>();
    public FeedStore Feeds => Services.GetRequiredService<FeedStore>();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _services = new ServiceCollection().AddLogging().AddFeedIngestion(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).AddFeedStorage(_database.ConnectionString).BuildServiceProvider();
        await Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    public Task<NpgsqlConnection> OpenAsync() => _database.OpenAsync();

    /// <summary>Parses and cleans a feed file the way the refresh step does.</summary>
    public async Task<IReadOnlyList<ParsedArticle>> ParseAsync(string path)
    {
        var (document, published) = await PublishedAsync(path);
        var result = await Services.GetRequiredService<FeedDocumentProcessor>().CleanAsync(published, document, _ => true, CancellationToken.None);
        Assert.True(result.Ok, result.Error);
        return result.Feed!.Articles;
    }

    /// <summary>A feed file's items as the refresh step has them before cleaning: links final, source fingerprints set.</summary>
    public async Task<IReadOnlyList<ParsedArticle>> ParsePublishedAsync(string path) => (await PublishedAsync(path)).Published.Feed!.Articles;

    private async Task<(FeedDocument Document, ParseResult Published)> PublishedAsync(string path)
    {
        var fetched = await Services.GetRequiredService<FeedFetcher>().FetchAsync(new FetchRequest(path), CancellationToken.None);
        var document = new FeedDocument(fetched.Body, fetched.ContentType, fetched.FinalUrl);
        var published = await Services.GetRequiredService<FeedDocumentProcessor>().ParseAsync(document, CancellationToken.None);
        Assert.True(published.Ok, published.Error);
        return (document, published);
    }

    /// <param name="language">The feed's language (items that name none are searched with its configuration).</param>
    public async Task<(long FeedId, StoreResult Result)> StoreFileAsync(string path, string? language = null)
    {
        var feed = await Feeds.EnsureAsync(new Uri(path).AbsoluteUri, CancellationToken.None);
        var result = await Articles.StoreAsync(
            feed.Id, await ParseAsync(path), Feeds.Succeeded(feed, Success), feedLanguage: language, cancellationToken: CancellationToken.None);
        return (feed.Id, result);
    }

    public static FeedFetchSuccess Success { get; } = new(200, null, null, null, null, null, null, null, null);

    /// <summary>Every row version of the article tables: a write of any kind changes this set.</summary>
    public Task<HashSet<string>> RowVersionsAsync() => RowVersionsAsync(ConnectionString);

    /// <inheritdoc cref="RowVersionsAsync()"/>
    public static async Task<HashSet<string>> RowVersionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT 'a' || id || ':' || xmin::text FROM articles UNION ALL SELECT 'fa' || feed_id || item_key || ':' || xmin::text FROM feed_articles",
            connection);
        var versions = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) versions.Add(reader.GetString(0));
        return versions;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
