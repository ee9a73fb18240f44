using System.Security;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedWorker.IntegrationTests.Archive;

/// <summary>
/// Each article's search_vector is built with its language's text search configuration (item
/// language, else the feed's), so an inflected form of a word finds it; a language PostgreSQL has no
/// configuration for falls back to <c>simple</c>.
/// </summary>
public sealed class LanguageSearchTests : IClassFixture<StorageHost>, IDisposable
{
    private readonly StorageHost _host;
    private readonly FeedFiles _files = new();

    public LanguageSearchTests(StorageHost host) => _host = host;

    public void Dispose() => _files.Dispose();

    [Theory]
    // feed language (RSS <language>), a region subtag
    [InlineData("fr-FR", null, "Les enfants mangeaient des pommes dans le jardin.", "manger", "french")]
    [InlineData("de", null, "Die Kinder spielten am Hafen mit den Bällen.", "Ball", "german")]
    [InlineData("es", null, "Las canciones populares sonaban en la plaza.", "canción", "spanish")]
    // the item's own xml:lang wins over the feed's
    [InlineData("en", "ru", "Новые книги появились в библиотеке.", "книга", "russian")]
    public async Task An_article_is_found_by_an_inflected_form_with_its_language_configuration(
        string feedLanguage, string? itemLanguage, string text, string inflected, string config)
    {
        var guid = await StoreAsync(config, feedLanguage, itemLanguage, text);

        Assert.Equal(config, await ScalarAsync<string>("SELECT search_config::text FROM articles WHERE guid = @guid", guid));
        Assert.True(await MatchesAsync(guid, config, inflected), $"'{inflected}' does not find the article with {config}");
        // what every article got before, an English vector and query, misses the form
        Assert.False(
            await ScalarAsync<bool>(
                "SELECT to_tsvector('english', content_text) @@ websearch_to_tsquery('english', @query) FROM articles WHERE guid = @guid",
                guid, ("query", inflected)),
            $"'{inflected}' finds the article with english too: the test proves nothing");
    }

    [Fact]
    public async Task A_language_without_a_configuration_falls_back_to_simple()
    {
        var guid = await StoreAsync("fallback", "ja", null, "東京 の ニュース");

        Assert.Equal("simple", await ScalarAsync<string>("SELECT search_config::text FROM articles WHERE guid = @guid", guid));
        Assert.True(await MatchesAsync(guid, "simple", "ニュース"));
    }

    [Fact]
    public async Task The_backfill_gives_older_rows_their_configuration_and_rebuilds_their_vector()
    {
        var guid = await StoreAsync("backfill", null, "de", "Die Kinder spielten im Garten mit den Bällen.");
        // a row as the migration leaves it: English vector, no configuration (the trigger would fill it in)
        await ExecuteAsync("""
            ALTER TABLE articles DISABLE TRIGGER articles_search_vector_update;
            UPDATE articles SET search_config = NULL, search_vector = to_tsvector('english', content_text) WHERE guid = @guid;
            ALTER TABLE articles ENABLE TRIGGER articles_search_vector_update;
            """, guid);
        Assert.False(await MatchesAsync(guid, "german", "Ball"));

        var done = await _host.Services.GetRequiredService<SearchConfigBackfill>().RunAsync(CancellationToken.None);

        Assert.Equal(1, done);
        Assert.Equal("german", await ScalarAsync<string>("SELECT search_config::text FROM articles WHERE guid = @guid", guid));
        Assert.True(await MatchesAsync(guid, "german", "Ball"));
        Assert.Equal(0, await _host.Services.GetRequiredService<SearchConfigBackfill>().RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Every_item_of_a_batch_gets_its_own_configuration_when_stored_and_when_changed()
    {
        // the store looks each language of a batch up once and joins it to the rows: none may be lost or mixed up
        (string Guid, string? Language, string Config)[] french =
        [
            ("batch-de", "de", "german"), ("batch-feed", null, "french"), ("batch-ru", "ru", "russian"), ("batch-ja", "ja", "simple"),
            ("batch-de-2", "de-AT", "german"),
        ];
        (string Guid, string? Language, string Config)[] unlabelled = [("batch-none", null, "simple"), ("batch-es", "es", "spanish")];

        for (var edition = 1; edition <= 2; edition++)
        {
            await StoreBatchAsync("batch-fr", "fr", french, edition);
            await StoreBatchAsync("batch-none", null, unlabelled, edition);
            foreach (var (guid, _, config) in french.Concat(unlabelled))
            {
                Assert.Equal(config, await ScalarAsync<string>("SELECT search_config::text FROM articles WHERE guid = @guid", guid));
                // edition 2 changed every text: the rows were rewritten in place, each still with its configuration
                Assert.Equal(edition, await ScalarAsync<int>("SELECT revision FROM articles WHERE guid = @guid", guid));
                Assert.True(await MatchesAsync(guid, config, $"edition{edition}"), $"{guid} is not found by its edition {edition} text");
            }
        }
    }

    private async Task StoreBatchAsync(string name, string? feedLanguage, (string Guid, string? Language, string Config)[] items, int edition)
    {
        var path = Path.Combine(_files.Directory, $"{name}.xml");
        var entries = items.Select(i => $"""
            <item{(i.Language is null ? "" : $" xml:lang=\"{i.Language}\"")}><guid isPermaLink="false">{i.Guid}</guid>
            <title>{i.Guid}</title><link>https://{name}.example/{i.Guid}</link>
            <description>Story {i.Guid} in its edition{edition} text, told at some length so that it is a story.</description></item>
            """);
        await File.WriteAllTextAsync(path, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>{name}</title><link>https://{name}.example/</link><description>{name}</description>
            {(feedLanguage is null ? "" : $"<language>{feedLanguage}</language>")}
            {string.Concat(entries)}
            </channel></rss>
            """);
        var feed = await _host.Feeds.EnsureAsync(new Uri(path).AbsoluteUri, CancellationToken.None);
        var parsed = await _host.ParseAsync(path);
        await _host.Articles.StoreAsync(feed.Id, parsed, _host.Feeds.Succeeded(feed, StorageHost.Success), feedLanguage: feedLanguage, cancellationToken: CancellationToken.None);
    }

    /// <returns>The stored item's guid.</returns>
    private async Task<string> StoreAsync(string name, string? feedLanguage, string? itemLanguage, string text)
    {
        var guid = $"lang-{name}";
        var path = Path.Combine(_files.Directory, $"lang-{name}.xml");
        await File.WriteAllTextAsync(path, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>{name}</title><link>https://{name}.example/</link><description>{name}</description>
            {(feedLanguage is null ? "" : $"<language>{feedLanguage}</language>")}
            <item{(itemLanguage is null ? "" : $" xml:lang=\"{itemLanguage}\"")}><guid isPermaLink="false">{guid}</guid>
            <title>{name}</title><link>https://{name}.example/story</link><description>{SecurityElement.Escape(text)}</description></item>
            </channel></rss>
            """);
        var feed = await _host.Feeds.EnsureAsync(new Uri(path).AbsoluteUri, CancellationToken.None);
        var parsed = await _host.ParseAsync(path);
        // the refresh step passes the feed's language to the store
        await _host.Articles.StoreAsync(feed.Id, parsed, _host.Feeds.Succeeded(feed, StorageHost.Success), feedLanguage: feedLanguage, cancellationToken: CancellationToken.None);
        return guid;
    }

    private Task<bool> MatchesAsync(string guid, string config, string query) => ScalarAsync<bool>(
        "SELECT EXISTS (SELECT 1 FROM articles WHERE guid = @guid AND search_vector @@ websearch_to_tsquery(@config::regconfig, @query))",
        guid, ("config", config), ("query", query));

    private async Task<T> ScalarAsync<T>(string sql, string guid, params (string Name, object Value)[] parameters)
    {
        await using var connection = await _host.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("guid", guid);
        foreach (var (parameterName, value) in parameters) command.Parameters.AddWithValue(parameterName, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql, string guid)
    {
        await using var connection = await _host.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("guid", guid);
        await command.ExecuteNonQueryAsync();
    }
}
