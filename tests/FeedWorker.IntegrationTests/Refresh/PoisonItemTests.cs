using System.Text;
using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Refresh;

namespace FeedWorker.IntegrationTests.Refresh;

/// <summary>
/// Issue 19 through the real refresh step (Kestrel, parser, PostgreSQL): one bad item never sinks its
/// feed, what was repaired or skipped shows on the feed row, and nothing stored is lost on the next fetch.
/// </summary>
public sealed class PoisonItemTests : IClassFixture<RefreshHost>
{
    private readonly RefreshHost _host;

    public PoisonItemTests(RefreshHost host) => _host = host;

    /// <summary>A JSON Feed of good items and one poison item, as JSON text (escapes stay ASCII on the wire).</summary>
    private static string JsonFeed(string name, int good, string poisonFields, int firstGood = 0)
    {
        var items = Enumerable.Range(firstGood, good).Select(i =>
            $$"""{"id": "{{name}}-{{i}}", "url": "https://{{name}}.example/s/{{i}}", "title": "Story {{i}}", "content_text": "{{FeedFiles.Body(name.Length * 100 + i)}}", "authors": [{"name": "Jane"}]}""")
            .Append($$"""{"id": "{{name}}-poison", "url": "https://{{name}}.example/poison", {{poisonFields}}}""");
        return $$"""{"version": "https://jsonfeed.org/version/1.1", "title": "{{name}}", "items": [{{string.Join(",\n", items)}}]}""";
    }

    /// <summary>A 2,700-character author of letters from many scripts: incompressible, over the b-tree entry limit.</summary>
    private static string LongAuthor()
    {
        var random = new Random(2700);
        var text = new StringBuilder();
        while (text.Length < 2700) text.Append((char)random.Next(0x0400, 0x9FFF));
        return text.ToString();
    }

    /// <summary>The three poison items of the issue: a lone surrogate (it broke the SimHash), a NUL (PostgreSQL 22021), a 2,700-character author (index row size).</summary>
    public static TheoryData<string, string, bool> Poisons => new()
    {
        { "surrogate", $$"""
            "title": "Poison", "content_text": "{{FeedFiles.Body(7001)}} lone \ud800 surrogate"
            """, true },
        { "nul", $$"""
            "title": "Poison \u0000", "content_text": "{{FeedFiles.Body(7002)}}"
            """, true },
        { "longauthor", $$"""
            "title": "Poison", "content_text": "{{FeedFiles.Body(7003)}}", "authors": [{"name": "{{LongAuthor()}}"}]
            """, false },
    };

    [Theory]
    [MemberData(nameof(Poisons))]
    public async Task A_poison_item_does_not_sink_its_feed_and_nothing_stored_is_lost_on_the_next_fetch(
        string name, string poisonFields, bool warned)
    {
        await using var server = await CountingFeedServer.StartAsync();
        server.Publish(name, JsonFeed(name, good: 3, poisonFields));

        var first = await _host.RefreshAsync(server.Url(name));

        Assert.Equal(FeedRefreshStatus.Stored, first.Status);
        var row = await _host.FeedRowAsync(server.Url(name));
        Assert.Equal(0, row.ErrorCount);
        Assert.Equal(4, row.Links); // the poison item is stored made storable, with the three good ones
        if (warned)
        {
            Assert.Equal(1, row.WarningCount);
            Assert.Contains($"item guid:{name}-poison:", row.LastWarning, StringComparison.Ordinal);
        }
        var stored = await _host.LinksAsync(server.Url(name));

        server.Publish(name, JsonFeed(name, good: 4, poisonFields, firstGood: 1));
        var second = await _host.RefreshAsync(server.Url(name));

        Assert.Equal(FeedRefreshStatus.Stored, second.Status);
        var after = await _host.LinksAsync(server.Url(name));
        Assert.All(stored, link => Assert.Equal(link.Value, after[link.Key]));
        Assert.Equal(6, after.Count);
    }

    [Fact]
    public async Task A_repeated_guid_keeps_the_first_item_and_the_feed_row_says_so()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var items = FeedFiles.Items("rep", 3, firstSeed: 1000);
        items.Add(items[1] with { Title = "Second copy", Link = "https://news.example/rep/other", Body = FeedFiles.Body(500) });
        server.Publish("rep", FeedFiles.Rss("rep", items));

        var outcome = await _host.RefreshAsync(server.Url("rep"));

        Assert.Equal(FeedRefreshStatus.Stored, outcome.Status);
        var row = await _host.FeedRowAsync(server.Url("rep"));
        Assert.Equal(3, row.Links);
        Assert.Equal(1, row.WarningCount);
        Assert.Contains("item guid:rep-1: repeated in the feed", row.LastWarning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_year_one_date_is_stored_as_null_with_a_warning_not_as_minus_infinity()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var items = FeedFiles.Items("year1", 2, firstSeed: 2000);
        items[0] = items[0] with { Published = DateTimeOffset.MinValue };
        server.Publish("year1", FeedFiles.Rss("year1", items));

        Assert.Equal(FeedRefreshStatus.Stored, (await _host.RefreshAsync(server.Url("year1"))).Status);

        Assert.Equal(0L, await _host.ScalarAsync<long>(
            "SELECT count(*) FROM articles WHERE guid = 'year1-0' AND published_at IS NOT NULL"));
        Assert.Equal(1L, await _host.ScalarAsync<long>(
            "SELECT count(*) FROM articles WHERE guid = 'year1-1' AND published_at IS NOT NULL AND published_at <> '-infinity'"));
        var row = await _host.FeedRowAsync(server.Url("year1"));
        Assert.Contains("item guid:year1-0: implausible published date 0001-01-01", row.LastWarning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guid_churn_keeps_one_link_per_story_under_its_newest_key()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var stories = FeedFiles.Items("churn", 5, firstSeed: 3000);
        for (var fetch = 0; fetch < 4; fetch++)
        {
            server.Publish("churn", FeedFiles.Rss("churn", stories.Select(s => s with { Guid = $"{s.Guid}-fetch{fetch}" })));
            Assert.Equal(FeedRefreshStatus.Stored, (await _host.RefreshAsync(server.Url("churn"))).Status);
        }

        var links = await _host.LinksAsync(server.Url("churn"));
        Assert.Equal(5, links.Count);
        Assert.All(links.Keys, key => Assert.EndsWith("-fetch3", key, StringComparison.Ordinal));
        Assert.Equal(5, links.Values.Distinct().Count());
        Assert.Equal(5L, await _host.ScalarAsync<long>("SELECT count(*) FROM articles WHERE url LIKE 'https://news.example/churn/%'"));
    }
}
