using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.IntegrationTests.Storage;

/// <summary>
/// Article text is written with LZ4 where the server has it (the Lz4Compression migration). The test server is
/// PostgreSQL 15 from Debian, built with LZ4, so these rows must come out LZ4 and read back exactly as written.
/// </summary>
public sealed class CompressionTests : IClassFixture<StorageHost>
{
    private readonly StorageHost _host;

    public CompressionTests(StorageHost host) => _host = host;

    [Fact]
    public async Task Long_article_text_is_stored_with_lz4_and_read_back_unchanged()
    {
        var feed = await _host.Feeds.EnsureAsync("https://compression.example/feed", CancellationToken.None);
        // 1,500 words: far over the 2 KB at which PostgreSQL compresses a row's values
        var text = FeedFiles.Body(7100, words: 1500);
        var article = new ParsedArticle
        {
            Guid = "lz4-1",
            Url = "https://compression.example/lz4-1",
            Title = "A long story",
            Summary = FeedFiles.Body(7101, words: 400),
            ContentHtml = $"<p>{text}</p>",
            ContentText = text,
        };

        var result = await _host.Articles.StoreAsync(feed.Id, [article], _host.Feeds.Succeeded(feed, StorageHost.Success), cancellationToken: CancellationToken.None);

        Assert.Equal(1, result.New);
        Assert.Equal("lz4 lz4 lz4", await _host.ScalarAsync<string>(
            """
            SELECT concat_ws(' ', pg_column_compression(summary), pg_column_compression(content_html), pg_column_compression(content_text))
            FROM articles WHERE guid = 'lz4-1'
            """));
        // the vector is compressed only when the row is still too long once the text is (not with these 36 words)
        Assert.Equal(
            "article_revisions.content_html article_revisions.content_text article_revisions.summary "
            + "articles.content_html articles.content_text articles.search_vector articles.summary",
            await _host.ScalarAsync<string>(
                """
                SELECT string_agg(attrelid::regclass || '.' || attname, ' ' ORDER BY attrelid::regclass::text, attname)
                FROM pg_attribute WHERE attrelid IN ('articles'::regclass, 'article_revisions'::regclass) AND attcompression = 'l'
                """));
        Assert.Equal(text, await _host.ScalarAsync<string>("SELECT content_text FROM articles WHERE guid = 'lz4-1'"));
        Assert.Equal($"<p>{text}</p>", await _host.ScalarAsync<string>("SELECT content_html FROM articles WHERE guid = 'lz4-1'"));
    }
}
