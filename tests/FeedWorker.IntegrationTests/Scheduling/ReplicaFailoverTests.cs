using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Storage;

namespace FeedWorker.IntegrationTests.Scheduling;

[Collection(WorkerProcessCollection.Name)]
public sealed class ReplicaFailoverTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task When_a_replica_is_killed_the_other_takes_its_feeds_over_and_nothing_is_lost()
    {
        await using var server = await CountingFeedServer.StartAsync();
        server.ResponseDelay = TimeSpan.FromMilliseconds(300); // fetches are in flight when the replica dies
        var feeds = Cluster.PublishFeeds(server, "failover", feeds: 30, items: 5);
        var urls = feeds.Select(server.Url).ToList();

        await using var doomed = RunningWorker.Start(Cluster.Environment(database.ConnectionString, urls, "doomed"));
        await using var survivor = RunningWorker.Start(Cluster.Environment(database.ConnectionString, urls, "survivor"));
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
        await Cluster.WaitUntilAsync(
            async () => (await Cluster.ArticlesPerFeedAsync(database)).Count(f => urls.Contains(f.Key) && f.Value == 7) == feeds.Count,
            TimeSpan.FromSeconds(120), "every feed has its late stories");
        await survivor.StopAsync();

        Assert.All(feeds, feed => Assert.Contains(server.RequestsFor(feed), r => r.UserAgent == "survivor" && r.At > killed));
        Assert.Equal(30 * 7, await Cluster.ScalarAsync(database, "SELECT count(*) FROM articles"));
        Assert.Equal(30 * 7, await Cluster.ScalarAsync(database, "SELECT count(*) FROM feed_articles"));
    }
}
