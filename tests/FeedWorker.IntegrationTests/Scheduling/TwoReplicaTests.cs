using FeedWorker.IntegrationTests.Infrastructure;

namespace FeedWorker.IntegrationTests.Scheduling;

[Collection(WorkerProcessCollection.Name)]
public sealed class TwoReplicaTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Two_replicas_share_fifty_feeds_and_each_due_fetch_happens_exactly_once_in_order()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var feeds = Cluster.PublishFeeds(server, "shared", feeds: 50, items: 5);
        var urls = feeds.Select(server.Url).ToList();

        var started = DateTimeOffset.UtcNow;
        await using var a = RunningWorker.Start(Cluster.Environment(database.ConnectionString, urls, "replica-a"));
        await using var b = RunningWorker.Start(Cluster.Environment(database.ConnectionString, urls, "replica-b"));
        // what happened, not how fast: every feed fetched several times over (the deadline only guards a hang)
        await Cluster.WaitUntilAsync(() => feeds.All(f => server.RequestsFor(f).Count >= 4), TimeSpan.FromMinutes(3),
            "every feed has been fetched four times");
        await a.StopAsync();
        await b.StopAsync();
        var ran = DateTimeOffset.UtcNow - started;

        foreach (var feed in feeds)
        {
            var fetches = server.RequestsFor(feed);
            // each fetch plans the next an interval later: more fetches than that would be a due fetch run twice
            Assert.True(fetches.Count <= ran / Cluster.Interval + 1, $"{feed}: {fetches.Count} fetches in {ran.TotalSeconds:0} s, more than were due");
            var gaps = fetches.Zip(fetches.Skip(1), (x, y) => y.At - x.At).ToList();
            // two replicas running the same due fetch would fetch twice within moments
            Assert.All(gaps, gap => Assert.True(gap > Cluster.Interval / 2, $"{feed}: fetched twice {gap.TotalMilliseconds:0} ms apart"));
            // and in order: the first fetch is a full one, every later one a conditional GET that finds nothing new
            Assert.Equal(200, fetches[0].Status);
            Assert.All(fetches.Skip(1), f => Assert.Equal(304, f.Status));
        }
        var byReplica = server.Requests.GroupBy(r => r.UserAgent).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byReplica.GetValueOrDefault("replica-a") > 0 && byReplica.GetValueOrDefault("replica-b") > 0,
            $"both replicas should fetch: {string.Join(", ", byReplica)}");

        Assert.Equal(250, await Cluster.ScalarAsync(database, "SELECT count(*) FROM articles"));
        Assert.All((await Cluster.ArticlesPerFeedAsync(database)).Where(f => urls.Contains(f.Key)), f => Assert.Equal(5, f.Value));
    }
}
