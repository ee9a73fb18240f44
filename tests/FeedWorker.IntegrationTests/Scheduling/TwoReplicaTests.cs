using FeedWorker.IntegrationTests.Infrastructure;

namespace FeedWorker.IntegrationTests.Scheduling;

[Collection(WorkerProcessCollection.Name)]
public sealed class TwoReplicaTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>Fetches one replica runs at once, all of them to the one test host.</summary>
    private const int FetchesAtOnce = 8;

    [Fact]
    public async Task Two_replicas_share_fifty_feeds_and_each_due_fetch_happens_exactly_once_in_order()
    {
        await using var server = await CountingFeedServer.StartAsync();
        // More work than one replica can do, so both must fetch whoever starts first: 8 fetches of 1 s at
        // once is 8 feeds a second, and 50 feeds on a 3 s interval come due about 12 a second (two
        // replicas: 16). With instant fetches one replica fetched all 50 within its poll, moments after
        // they came due, and a replica that missed the first rounds never found a feed due.
        server.ResponseDelay = TimeSpan.FromSeconds(1);
        var feeds = Cluster.PublishFeeds(server, "shared", feeds: 50, items: 5);
        var urls = feeds.Select(server.Url).ToList();

        var started = DateTimeOffset.UtcNow;
        await using var a = RunningWorker.Start(Environment(urls, "replica-a"), "replica-a");
        await using var b = RunningWorker.Start(Environment(urls, "replica-b"), "replica-b");
        await a.WaitUntilStartedAsync();
        await b.WaitUntilStartedAsync();
        var bothRunning = DateTimeOffset.UtcNow;
        // what happened, not how fast: every feed fetched several times over, twice while both replicas ran,
        // however late one started (the deadline only guards a hang)
        await Cluster.WaitUntilAsync(
            () => feeds.Select(server.RequestsFor).All(r => r.Count >= 4 && r.Count(f => f.At >= bothRunning) >= 2), TimeSpan.FromMinutes(3),
            "every feed has been fetched four times, twice while both replicas ran", a, b);
        await a.StopAsync();
        await b.StopAsync();
        var ran = DateTimeOffset.UtcNow - started;

        await Cluster.ExplainedByAsync(async () =>
        {
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
                $"both replicas should fetch: {string.Join(", ", byReplica)}; both ran from {(bothRunning - started).TotalSeconds:0.0} s to {ran.TotalSeconds:0.0} s");

            Assert.Equal(250, await Cluster.ScalarAsync(database, "SELECT count(*) FROM articles"));
            Assert.All((await Cluster.ArticlesPerFeedAsync(database)).Where(f => urls.Contains(f.Key)), f => Assert.Equal(5, f.Value));
        }, a, b);
    }

    private Dictionary<string, string> Environment(IReadOnlyList<string> urls, string replica)
    {
        var environment = Cluster.Environment(database.ConnectionString, urls, replica);
        var fetches = FetchesAtOnce.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["FeedWorker__Scheduling__MaxConcurrentFetches"] = fetches;
        // every feed is on one host: its limit (2 by default) must not be what bounds the replica
        environment["FeedWorker__Fetcher__PerHostConcurrency"] = fetches;
        return environment;
    }
}
