using FeedWorker.IntegrationTests.Infrastructure;

namespace FeedWorker.IntegrationTests.Scheduling;

[Collection(WorkerProcessCollection.Name)]
public sealed class TwoReplicaTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Two_replicas_share_fifty_feeds_and_each_due_fetch_happens_exactly_once()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var feeds = Cluster.PublishFeeds(server, "shared", feeds: 50, items: 5);
        var urls = feeds.Select(server.Url).ToList();

        var started = DateTimeOffset.UtcNow;
        await using var a = RunningWorker.Start(Cluster.Environment(database.ConnectionString, urls, "replica-a"));
        await using var b = RunningWorker.Start(Cluster.Environment(database.ConnectionString, urls, "replica-b"));
        await Task.Delay(TimeSpan.FromSeconds(24));
        await a.StopAsync();
        await b.StopAsync();
        var ran = DateTimeOffset.UtcNow - started;

        foreach (var feed in feeds)
        {
            var fetches = server.RequestsFor(feed);
            // several intervals: startup takes a few seconds, then one fetch every 3 s
            Assert.True(fetches.Count >= 4, $"{feed}: {fetches.Count} fetches in {ran.TotalSeconds:0} s\n{a.Output}\n{b.Output}");
            Assert.True(fetches.Count <= ran / Cluster.Interval + 1, $"{feed}: {fetches.Count} fetches, more than were due");
            var gaps = fetches.Zip(fetches.Skip(1), (x, y) => y.At - x.At).ToList();
            // two replicas running the same due fire would fetch twice within moments
            Assert.All(gaps, gap => Assert.True(gap > Cluster.Interval / 2, $"{feed}: fetched twice {gap.TotalMilliseconds:0} ms apart"));
            // and none skipped: the next fetch follows within an interval and a margin
            Assert.All(gaps, gap => Assert.True(gap < Cluster.Interval * 2.5, $"{feed}: {gap.TotalSeconds:0.0} s without a fetch"));
        }
        var byReplica = server.Requests.GroupBy(r => r.UserAgent).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byReplica.GetValueOrDefault("replica-a") > 0 && byReplica.GetValueOrDefault("replica-b") > 0,
            $"both replicas should fetch: {string.Join(", ", byReplica)}");

        Assert.Equal(250, await Cluster.ScalarAsync(database, "SELECT count(*) FROM articles"));
        Assert.All((await Cluster.ArticlesPerFeedAsync(database)).Where(f => urls.Contains(f.Key)), f => Assert.Equal(5, f.Value));
    }
}
