using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.IntegrationTests.Storage;

/// <summary>
/// Items that reach the store unprepared for it (past the parser's boundary, as a future reader bug
/// might send them): each is skipped alone with a warning naming its key, the rest of the batch is stored.
/// </summary>
public sealed class ItemIsolationTests : IClassFixture<StorageHost>
{
    private readonly StorageHost _host;

    public ItemIsolationTests(StorageHost host) => _host = host;

    private static ParsedArticle Good(string prefix, int i) => new()
    {
        Guid = $"{prefix}-{i}",
        Url = $"https://isolation.example/{prefix}/{i}",
        Title = $"Story {i}",
        ContentHtml = $"<p>{FeedFiles.Body(9000 + prefix.Length * 10 + i)}</p>",
        ContentText = FeedFiles.Body(9000 + prefix.Length * 10 + i),
    };

    [Fact]
    public async Task An_item_the_database_refuses_and_one_that_cannot_be_prepared_are_skipped_and_the_rest_is_stored()
    {
        var feed = await _host.Feeds.EnsureAsync("https://isolation.example/feed", CancellationToken.None);
        var articles = new List<ParsedArticle>
        {
            Good("iso", 0),
            Good("iso", 1) with { Guid = "iso-nul", Title = "NUL \0 in the title" }, // PostgreSQL: 22021
            Good("iso", 2),
            Good("iso", 3) with { Guid = "iso-surrogate", ContentText = "lone \uD800 surrogate " + FeedFiles.Body(9100) },
            Good("iso", 4),
        };

        var result = await _host.Articles.StoreAsync(feed.Id, articles, _host.Feeds.Succeeded(feed, StorageHost.Success), cancellationToken: CancellationToken.None);

        Assert.Equal(3, result.New);
        Assert.Contains(result.Warnings, w => w.StartsWith("item guid:iso-nul skipped: ", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.StartsWith("item guid:iso-surrogate skipped: ", StringComparison.Ordinal));
        Assert.Equal(3L, await _host.ScalarAsync<long>("SELECT count(*) FROM feed_articles WHERE feed_id = @f", ("f", feed.Id)));
        Assert.Equal(2, await _host.ScalarAsync<int>("SELECT warning_count FROM feeds WHERE id = @f", ("f", feed.Id)));
        Assert.Contains("guid:iso-nul", await _host.ScalarAsync<string>("SELECT last_warning FROM feeds WHERE id = @f", ("f", feed.Id)), StringComparison.Ordinal);

        // the next fetch: the good items are unchanged, nothing is lost, the bad ones are reported again
        var before = await _host.RowVersionsAsync();
        var again = await _host.Articles.StoreAsync(feed.Id, articles, _host.Feeds.Succeeded(feed, StorageHost.Success), cancellationToken: CancellationToken.None);

        Assert.Equal(3, again.Unchanged);
        Assert.Equal(2, again.Warnings.Count);
        Assert.Equal(before, await _host.RowVersionsAsync());
    }

    [Fact]
    public async Task A_clean_batch_has_no_warnings_and_clears_the_previous_ones()
    {
        var feed = await _host.Feeds.EnsureAsync("https://isolation.example/clean", CancellationToken.None);
        await _host.Articles.StoreAsync(feed.Id, [Good("clean", 0) with { Title = "\0" }], _host.Feeds.Succeeded(feed, StorageHost.Success), cancellationToken: CancellationToken.None);
        Assert.Equal(1, await _host.ScalarAsync<int>("SELECT warning_count FROM feeds WHERE id = @f", ("f", feed.Id)));

        var result = await _host.Articles.StoreAsync(feed.Id, [Good("clean", 0)], _host.Feeds.Succeeded(feed, StorageHost.Success), cancellationToken: CancellationToken.None);

        Assert.Empty(result.Warnings);
        Assert.Equal(ItemKeys.For(Good("clean", 0)), await _host.ScalarAsync<string>("SELECT item_key FROM feed_articles WHERE feed_id = @f", ("f", feed.Id)));
        Assert.Equal(0, await _host.ScalarAsync<int>("SELECT warning_count FROM feeds WHERE id = @f", ("f", feed.Id)));
    }
}
