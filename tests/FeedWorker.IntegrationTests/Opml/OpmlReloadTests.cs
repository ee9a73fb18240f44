using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Scheduling;

namespace FeedWorker.IntegrationTests.Opml;

/// <summary>A running worker follows edits of its OPML file, and keeps its list when the file turns bad.</summary>
[Collection(WorkerProcessCollection.Name)]
public sealed class OpmlReloadTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task An_edited_opml_file_starts_its_new_feed_and_a_broken_one_keeps_the_previous_list()
    {
        await using var server = await CountingFeedServer.StartAsync();
        Cluster.PublishFeeds(server, "opmlreload", feeds: 2, items: 2);
        var (a, b) = (server.Url("opmlreload00"), server.Url("opmlreload01"));
        var folder = Directory.CreateTempSubdirectory("feedworker-opml-").FullName;
        var opml = Path.Combine(folder, "feeds.opml");
        try
        {
            Write(opml, List(a));
            var environment = Cluster.Environment(database.ConnectionString, [], "opml-reload");
            environment["FeedWorker__OpmlFiles__0"] = opml;
            environment["FeedWorker__Scheduling__ResyncInterval"] = "00:00:02";
            await using var worker = RunningWorker.Start(environment);
            await Cluster.WaitUntilAsync(() => server.RequestsFor("opmlreload00").Count > 0, TimeSpan.FromSeconds(120), "the listed feed is fetched", worker);
            Assert.Empty(server.RequestsFor("opmlreload01"));

            Write(opml, List(a, b));
            await Cluster.WaitUntilAsync(() => server.RequestsFor("opmlreload01").Count > 0, TimeSpan.FromSeconds(120), "the added feed is fetched", worker);
            var rows = await FeedRow.ReadAsync(database.ConnectionString);
            Assert.Equal(new FeedRow(b, "Feed opmlreload01", "opml", true, "reloaded"), rows[b]);

            Write(opml, "<opml version=\"2.0\"><body><outline type=\"rss\" text=\"half written");
            await Cluster.WaitUntilAsync(() => worker.Output.Contains($"FeedWorker:OpmlFiles:0: OPML file '{opml}': not well-formed XML", StringComparison.Ordinal),
                TimeSpan.FromSeconds(120), "the worker reports the broken file");
            var broken = DateTimeOffset.UtcNow;
            await Cluster.WaitUntilAsync(() => server.RequestsFor("opmlreload00").Any(r => r.At > broken) && server.RequestsFor("opmlreload01").Any(r => r.At > broken),
                TimeSpan.FromSeconds(120), "both feeds are still fetched");
            await worker.StopAsync();
            Assert.Equal(2, await Cluster.ScalarAsync(database, $"SELECT count(*) FROM feeds WHERE origin = 'opml' AND enabled"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string List(params string[] urls) =>
        $"""<opml version="2.0"><body><outline text="reloaded">{string.Concat(urls.Select(u => $"""<outline type="rss" text="Feed {u.Split('/')[^1].Replace(".xml", "")}" xmlUrl="{u}" />"""))}</outline></body></opml>""";

    private static void Write(string path, string content)
    {
        // write then move, so the watcher never sees half a file
        File.WriteAllText(path + ".tmp", content);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
