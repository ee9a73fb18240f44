using FeedWorker.Ingestion.Dedup;

namespace FeedWorker.IntegrationTests.Storage;

/// <summary>The four dedup layers and the write path, on the real PostgreSQL.</summary>
public sealed class ArticleStoreTests : IClassFixture<StorageHost>, IDisposable
{
    private readonly StorageHost _host;
    private readonly FeedFiles _files = new();

    public ArticleStoreTests(StorageHost host) => _host = host;

    public void Dispose() => _files.Dispose();

    private Task<long> CountAsync(string sql, params (string, object)[] parameters) => _host.ScalarAsync<long>(sql, parameters);

    [Fact]
    public async Task Storing_the_same_feed_again_writes_no_row_at_all()
    {
        var path = _files.Write("layer1-same", FeedFiles.Items("same", 5, firstSeed: 100));
        var (_, first) = await _host.StoreFileAsync(path);
        Assert.Equal(5, first.New);
        var before = await _host.RowVersionsAsync();

        var (_, second) = await _host.StoreFileAsync(path);

        Assert.Equal(new StoreResultShape(0, 0, 5, 0), Shape(second));
        Assert.Equal(before, await _host.RowVersionsAsync());
    }

    [Fact]
    public async Task A_changed_item_is_rewritten_in_place_as_revision_2()
    {
        var items = FeedFiles.Items("changed", 3, firstSeed: 200);
        var path = _files.Write("layer1-changed", items);
        await _host.StoreFileAsync(path);
        var id = await CountAsync("SELECT id FROM articles WHERE guid = 'changed-1'");

        items[1] = items[1] with { Title = "Story changed 1, corrected", Body = items[1].Body + " Correction: the vote was held on Wednesday." };
        _files.Write("layer1-changed", items);
        var (_, result) = await _host.StoreFileAsync(path);

        Assert.Equal(new StoreResultShape(0, 1, 2, 0), Shape(result));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM articles WHERE guid = 'changed-1'"));
        Assert.Equal(id, await CountAsync("SELECT id FROM articles WHERE title = 'Story changed 1, corrected' AND revision = 2 AND updated_at IS NOT NULL"));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM articles WHERE guid LIKE 'changed-%' AND revision = 1"));
    }

    [Fact]
    public async Task The_same_story_in_two_feeds_is_one_article_linked_to_both()
    {
        var items = FeedFiles.Items("cross", 2, firstSeed: 300);
        var (feedA, _) = await _host.StoreFileAsync(_files.Write("layer2-a", items));
        // feed B: its own guids, the same links with tracking parameters, a slightly different teaser
        var copies = items.Select(i => i with { Guid = "b-" + i.Guid, Link = i.Link + "?utm_source=feed-b&utm_medium=rss", Body = i.Body + " Read more at feed B." });
        var (feedB, result) = await _host.StoreFileAsync(_files.Write("layer2-b", copies));

        Assert.Equal(new StoreResultShape(0, 0, 0, 2), Shape(result));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM articles WHERE url LIKE 'https://news.example/cross/%'"));
        Assert.Equal(2, await CountAsync(
            // feed B's own guid; its link is stored without the tracking parameters
            "SELECT count(*) FROM feed_articles fb JOIN feed_articles fa ON fa.article_id = fb.article_id AND fa.feed_id = @a WHERE fb.feed_id = @b AND fb.guid LIKE 'b-cross-%' AND fb.url = fa.url",
            ("a", feedA), ("b", feedB)));
    }

    [Fact]
    public async Task An_exact_copy_under_another_url_is_linked_to_the_stored_article()
    {
        var items = FeedFiles.Items("exact", 1, firstSeed: 400);
        await _host.StoreFileAsync(_files.Write("layer3-a", items));
        var copy = items[0] with { Guid = "syndicated-1", Link = "https://syndicator.example/2026/11/copied-story", Title = "Copied story" };
        var (feedB, result) = await _host.StoreFileAsync(_files.Write("layer3-b", [copy]));

        Assert.Equal(new StoreResultShape(0, 0, 0, 1), Shape(result));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM articles WHERE url = 'https://syndicator.example/2026/11/copied-story'"));
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM feed_articles fa JOIN articles a ON a.id = fa.article_id WHERE fa.feed_id = @b AND a.guid = 'exact-0'", ("b", feedB)));
    }

    [Fact]
    public async Task A_near_copy_is_kept_with_duplicate_of_pointing_at_the_original()
    {
        var original = new FeedItem("near-0", "https://news.example/near/story-0", "Original", FeedFiles.Body(502, words: 250));
        await _host.StoreFileAsync(_files.Write("layer4-a", [original]));
        // a syndicated copy with the syndicator's footer: a near copy for SimHash, not an exact one
        var copy = new FeedItem("near-copy", "https://other.example/near-copy", "Near copy", original.Body + " Copyright 2026 Other Example.");
        var unrelated = new FeedItem("near-unrelated", "https://other.example/unrelated", "Unrelated", FeedFiles.Body(503, words: 250));
        var distance = SimHash.Distance(SimHash.Of(original.Body)!.Value, SimHash.Of(copy.Body)!.Value);
        Assert.InRange(distance, 1, SimHash.NearDuplicateDistance);
        var (_, result) = await _host.StoreFileAsync(_files.Write("layer4-b", [copy, unrelated]));

        Assert.Equal(1, result.NearDuplicates);
        Assert.Equal(1, result.New);
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM articles c JOIN articles o ON o.id = c.duplicate_of WHERE c.guid = 'near-copy' AND o.guid = 'near-0'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM articles WHERE guid = 'near-unrelated' AND duplicate_of IS NULL"));
    }

    [Fact]
    public async Task Concurrent_writers_of_the_same_stories_leave_no_duplicates()
    {
        var items = FeedFiles.Items("race", 60, firstSeed: 600);
        var paths = Enumerable.Range(0, 6).Select(i => _files.Write($"race-{i}", items.Select(x => x with { Guid = $"{i}-{x.Guid}" }))).ToList();
        // every feed twice at once: same feed (advisory lock) and different feeds (unique indexes)
        var results = await Task.WhenAll(paths.Concat(paths).Select(p => Task.Run(() => _host.StoreFileAsync(p))));

        Assert.Equal(60, await CountAsync("SELECT count(*) FROM articles WHERE url LIKE 'https://news.example/race/%'"));
        Assert.Equal(360, await CountAsync(
            "SELECT count(*) FROM feed_articles fa JOIN articles a ON a.id = fa.article_id WHERE a.url LIKE 'https://news.example/race/%'"));
        Assert.Equal(60, results.Sum(r => r.Result.New));
        Assert.Equal(300, results.Sum(r => r.Result.Duplicates));
        Assert.Equal(360, results.Sum(r => r.Result.Unchanged));
    }

    private static StoreResultShape Shape(FeedWorker.Storage.StoreResult r) => new(r.New, r.Updated, r.Unchanged, r.Duplicates);

    private sealed record StoreResultShape(int New, int Updated, int Unchanged, int Duplicates);
}
