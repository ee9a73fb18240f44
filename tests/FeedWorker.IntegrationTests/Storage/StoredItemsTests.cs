using FeedWorker.Ingestion.Dedup;

namespace FeedWorker.IntegrationTests.Storage;

/// <summary>The one read of a feed's stored items before its document is cleaned (ArticleStore.StoredItemsAsync).</summary>
public sealed class StoredItemsTests(StorageHost host) : IClassFixture<StorageHost>, IDisposable
{
    private readonly FeedFiles _files = new();

    void IDisposable.Dispose() => _files.Dispose();

    [Fact]
    public async Task It_tells_the_items_stored_as_published_from_the_new_and_the_changed_ones()
    {
        var items = FeedFiles.Items("read", 4, firstSeed: 5000);
        var path = _files.Write("stored-read", items.Take(3));
        var (feedId, _) = await host.StoreFileAsync(path);
        items[1] = items[1] with { Title = "Story read 1, corrected" };
        _files.Write("stored-read", items);

        var published = await host.ParsePublishedAsync(path);
        var stored = await host.Articles.StoredItemsAsync(feedId, published, CancellationToken.None);

        Assert.Equal([true, false, true, false], published.Select(stored.IsUnchanged));
        Assert.Equal(["guid:read-0", "guid:read-2"], stored.UnchangedKeys.Order(StringComparer.Ordinal));
        Assert.Equal(2, stored.UnchangedResult.Unchanged);
        // the page decision is made on the cleaned items, by key and fingerprint
        var cleaned = PreparedItems.Of(await host.ParseAsync(path)).Items;
        Assert.Equal([false, true, false, true], cleaned.Select(stored.IsNewOrChanged));
    }

    [Fact]
    public async Task An_item_cleaned_to_what_is_stored_is_not_new_although_its_source_fingerprint_is()
    {
        var path = _files.Write("stored-resourced", FeedFiles.Items("resourced", 2, firstSeed: 5100));
        var (feedId, _) = await host.StoreFileAsync(path);
        // as after an upgrade of the cleaner: every source fingerprint differs, the cleaned items do not
        await host.ScalarAsync<int>("WITH u AS (UPDATE feed_articles SET source_fingerprint = 'old cleaner' WHERE feed_id = @feed RETURNING 1) SELECT count(*)::int FROM u", ("feed", feedId));

        var stored = await host.Articles.StoredItemsAsync(feedId, await host.ParsePublishedAsync(path), CancellationToken.None);

        Assert.Empty(stored.UnchangedKeys);
        Assert.All(PreparedItems.Of(await host.ParseAsync(path)).Items, item => Assert.False(stored.IsNewOrChanged(item)));
    }

    [Fact]
    public async Task Another_feed_that_stored_the_same_items_does_not_count()
    {
        var path = _files.Write("stored-own", FeedFiles.Items("own", 2, firstSeed: 5200));
        await host.StoreFileAsync(path);
        var other = await host.Feeds.EnsureAsync("http://127.0.0.1/stored-own-other.xml", CancellationToken.None);

        var stored = await host.Articles.StoredItemsAsync(other.Id, await host.ParsePublishedAsync(path), CancellationToken.None);

        Assert.Empty(stored.UnchangedKeys);
        Assert.All(PreparedItems.Of(await host.ParseAsync(path)).Items, item => Assert.True(stored.IsNewOrChanged(item)));
    }
}
