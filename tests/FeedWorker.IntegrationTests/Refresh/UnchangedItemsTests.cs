using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Refresh;

namespace FeedWorker.IntegrationTests.Refresh;

/// <summary>
/// Items stored exactly as the feed publishes them again are not cleaned again (issue 18): the refresh knows them by
/// their source fingerprint, counts them as unchanged and writes nothing for them; a changed item is still cleaned and
/// rewritten. Through the real refresh step: Kestrel, parser, cleaner, PostgreSQL.
/// </summary>
/// <remarks>
/// Whether an item was cleaned is seen through the stored cleaned fingerprint: the test replaces it in the database,
/// so an item that went through cleaning and storing again would differ from it and be rewritten as changed.
/// </remarks>
public sealed class UnchangedItemsTests : IClassFixture<RefreshHost>
{
    private readonly RefreshHost _host;

    public UnchangedItemsTests(RefreshHost host) => _host = host;

    private const string Tampered = "tampered";

    /// <summary>The same items in a rebuilt document (as with a new lastBuildDate): a new ETag, so a 200 and a parse.</summary>
    private static string Rebuilt(string document, int build) => document + $"\n<!-- build {build} -->";

    private async Task TamperFingerprintsAsync(string name) =>
        await _host.ExecuteAsync($"UPDATE feed_articles SET fingerprint = '{Tampered}' WHERE feed_id = (SELECT id FROM feeds WHERE url LIKE '%/{name}.xml')");

    private Task<long> CountAsync(string name, string condition) =>
        _host.ScalarAsync<long>($"""
            SELECT count(*) FROM feed_articles fa JOIN articles a ON a.id = fa.article_id
            WHERE fa.feed_id = (SELECT id FROM feeds WHERE url LIKE '%/{name}.xml') AND {condition}
            """);

    [Fact]
    public async Task Items_published_as_stored_are_neither_cleaned_nor_written_and_a_changed_one_is()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var items = FeedFiles.Items("same", 4, firstSeed: 5100);
        server.Publish("same", FeedFiles.Rss("same", items));
        var first = await _host.RefreshAsync(server.Url("same"));
        Assert.Equal((4, 0), (first.Stored.New, first.Stored.Unchanged));
        Assert.Equal(4, await CountAsync("same", "fa.source_fingerprint IS NOT NULL"));

        await TamperFingerprintsAsync("same");
        server.Publish("same", Rebuilt(FeedFiles.Rss("same", items), 2));
        var again = await _host.RefreshAsync(server.Url("same"));

        Assert.Equal((FeedRefreshStatus.Stored, 0, 0, 4), (again.Status, again.Stored.New, again.Stored.Updated, again.Stored.Unchanged));
        Assert.Equal(4, await CountAsync("same", $"fa.fingerprint = '{Tampered}' AND a.revision = 1"));

        items[2] = items[2] with { Body = FeedFiles.Body(5900) };
        server.Publish("same", FeedFiles.Rss("same", items));
        var changed = await _host.RefreshAsync(server.Url("same"));

        Assert.Equal((0, 1, 3), (changed.Stored.New, changed.Stored.Updated, changed.Stored.Unchanged));
        Assert.Equal(3, await CountAsync("same", $"fa.fingerprint = '{Tampered}' AND a.revision = 1"));
        Assert.Equal(1, await CountAsync("same", $"fa.fingerprint <> '{Tampered}' AND a.revision = 2 AND a.content_text LIKE '{FeedFiles.Body(5900)[..30]}%'"));
    }

    [Fact]
    public async Task Rows_stored_before_source_fingerprints_are_cleaned_once_more_and_get_one_without_a_revision()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var document = FeedFiles.Rss("upgraded", FeedFiles.Items("upgraded", 3, firstSeed: 5200));
        server.Publish("upgraded", document);
        await _host.RefreshAsync(server.Url("upgraded"));
        await _host.ExecuteAsync("UPDATE feed_articles SET source_fingerprint = NULL WHERE item_key LIKE 'guid:upgraded-%'");
        server.Publish("upgraded", Rebuilt(document, 2));

        var upgraded = await _host.RefreshAsync(server.Url("upgraded"));

        Assert.Equal((0, 0, 3), (upgraded.Stored.New, upgraded.Stored.Updated, upgraded.Stored.Unchanged));
        Assert.Equal(3, await CountAsync("upgraded", "fa.source_fingerprint IS NOT NULL AND a.revision = 1"));
        // from now on they are known as published
        await TamperFingerprintsAsync("upgraded");
        server.Publish("upgraded", Rebuilt(document, 3));
        var next = await _host.RefreshAsync(server.Url("upgraded"));
        Assert.Equal((0, 3), (next.Stored.Updated, next.Stored.Unchanged));
        Assert.Equal(3, await CountAsync("upgraded", $"fa.fingerprint = '{Tampered}'"));
    }

    [Fact]
    public async Task Items_with_neither_guid_nor_link_are_known_as_published_too()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var bodies = new[] { FeedFiles.Body(5300), FeedFiles.Body(5301) };
        var document = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>anonymous</title><link>https://anonymous.example/</link><description>d</description>
            <item><title>First</title><description>&lt;p&gt;{bodies[0]}&lt;/p&gt;</description></item>
            <item><title>Second</title><description>&lt;p&gt;{bodies[1]}&lt;/p&gt;</description></item>
            </channel></rss>
            """;
        server.Publish("anonymous", document);
        var first = await _host.RefreshAsync(server.Url("anonymous"));
        Assert.Equal(2, first.Stored.New);
        Assert.Equal(2, await CountAsync("anonymous", "fa.item_key LIKE 'sha256:%'"));

        await TamperFingerprintsAsync("anonymous");
        server.Publish("anonymous", Rebuilt(document, 2));
        var again = await _host.RefreshAsync(server.Url("anonymous"));

        Assert.Equal((0, 0, 2), (again.Stored.New, again.Stored.Updated, again.Stored.Unchanged));
        Assert.Equal(2, await CountAsync("anonymous", $"fa.fingerprint = '{Tampered}'"));
    }
}
