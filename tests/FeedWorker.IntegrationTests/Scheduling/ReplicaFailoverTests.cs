using System.Globalization;
using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Storage;

namespace FeedWorker.IntegrationTests.Scheduling;

[Collection(WorkerProcessCollection.Name)]
public sealed class ReplicaFailoverTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>Due feeds one replica claims ahead (the default, stated because the arithmetic below depends on it).</summary>
    private const int ClaimsAhead = 16;

    /// <summary>Fetches one replica runs at once: every feed is on the one test host (the default per-host limit).</summary>
    private const int FetchesAtOnce = 2;

    [Fact]
    public async Task When_a_replica_is_killed_the_other_takes_its_feeds_over_and_nothing_is_lost()
    {
        await using var server = await CountingFeedServer.StartAsync();
        // Fetches are in flight when the replica dies, and there is more work than one replica can do, so both
        // fetch whoever starts first: a replica holds at most 16 claimed feeds and fetches 2 at once, so with
        // 1 s responses it finishes at most 2 a second, about 8 in an interval (3 s) after which they are due
        // again. At every moment 30 - 16 - 8 = 6 or more feeds are due and claimed by nobody, and a replica that
        // starts late claims some at its first look. With 300 ms responses one replica finished up to 22 fetches
        // an interval: 16 claimed and 22 not due cover all 30 feeds, and a late replica could find none (one
        // replica alone left no feed due and unclaimed at 17 % of moments; at 1 s, never fewer than 8).
        server.ResponseDelay = TimeSpan.FromSeconds(1);
        var feeds = Cluster.PublishFeeds(server, "failover", feeds: 30, items: 5);
        var urls = feeds.Select(server.Url).ToList();

        await using var doomed = RunningWorker.Start(Environment(urls, "doomed"), "doomed");
        await using var survivor = RunningWorker.Start(Environment(urls, "survivor"), "survivor");
        await doomed.WaitUntilStartedAsync();
        await survivor.WaitUntilStartedAsync();
        // what happened, not how fast (the deadlines only guard a hang)
        await Cluster.WaitUntilAsync(() => server.Requests.Any(r => r.UserAgent == "doomed") && server.Requests.Any(r => r.UserAgent == "survivor"),
            TimeSpan.FromSeconds(120), "both replicas fetch", doomed, survivor);
        await Task.Delay(TimeSpan.FromSeconds(4));
        await doomed.KillAsync();
        var killed = DateTimeOffset.UtcNow;

        // new stories appear after the kill: every feed must still be fetched to store them
        for (var i = 0; i < feeds.Count; i++)
        {
            server.Publish(feeds[i], FeedFiles.Rss(feeds[i], Cluster.Stories(feeds[i], i, 5).Concat(Cluster.Stories(feeds[i], i, 2, batch: 1))));
        }
        // A survivor's fetch that reached the server before the kill and is answered after the publication brings
        // its feed the late stories too (there were 2 such fetches in every run); the survivor fetches that feed
        // again on its schedule, but not always before the last feed gets its stories: the wait covers both.
        await Cluster.WaitUntilAsync(
            async () => feeds.All(feed => SurvivorFetchedSince(feed, killed))
                && (await Cluster.ArticlesPerFeedAsync(database)).Count(f => urls.Contains(f.Key) && f.Value == 7) == feeds.Count,
            TimeSpan.FromSeconds(120), "every feed has its late stories and the survivor fetched it after the kill", doomed, survivor);
        await survivor.StopAsync();

        await Cluster.ExplainedByAsync(async () =>
        {
            Assert.All(feeds, feed => Assert.Contains(server.RequestsFor(feed), r => r.UserAgent == "survivor" && r.At > killed));
            Assert.Equal(30 * 7, await Cluster.ScalarAsync(database, "SELECT count(*) FROM articles"));
            Assert.Equal(30 * 7, await Cluster.ScalarAsync(database, "SELECT count(*) FROM feed_articles"));
        }, doomed, survivor);

        bool SurvivorFetchedSince(string feed, DateTimeOffset since) => server.RequestsFor(feed).Any(r => r.UserAgent == "survivor" && r.At > since);
    }

    private Dictionary<string, string> Environment(IReadOnlyList<string> urls, string replica)
    {
        var environment = Cluster.Environment(database.ConnectionString, urls, replica);
        environment["FeedWorker__Scheduling__MaxConcurrentFetches"] = ClaimsAhead.ToString(CultureInfo.InvariantCulture);
        environment["FeedWorker__Fetcher__PerHostConcurrency"] = FetchesAtOnce.ToString(CultureInfo.InvariantCulture);
        return environment;
    }
}
