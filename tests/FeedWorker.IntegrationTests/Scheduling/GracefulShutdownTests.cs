using FeedWorker.IntegrationTests.Infrastructure;

namespace FeedWorker.IntegrationTests.Scheduling;

[Collection(WorkerProcessCollection.Name)]
public sealed class GracefulShutdownTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sigterm_during_fetches_leaves_no_partial_feed_and_the_next_start_completes_the_work()
    {
        await using var server = await CountingFeedServer.StartAsync();
        server.ResponseDelay = TimeSpan.FromSeconds(1.5);
        var feeds = Cluster.PublishFeeds(server, "drain", feeds: 20, items: 10);
        var urls = feeds.Select(server.Url).ToList();
        var environment = Cluster.Environment(database.ConnectionString, urls, "drain");
        // few fetches at once, so that the stop leaves feeds for the next start
        environment["FeedWorker__Scheduling__MaxConcurrentFetches"] = "4";

        await using (var worker = RunningWorker.Start(environment))
        {
            await Cluster.WaitUntilAsync(() => server.Requests.Count >= 5, TimeSpan.FromSeconds(30), "fetches are in flight");
            await worker.StopAsync();
        }
        var afterStop = await Cluster.ArticlesPerFeedAsync(database);
        // each feed's batch is one transaction: all of its items or none
        Assert.All(afterStop.Where(f => urls.Contains(f.Key)), f => Assert.True(f.Value is 0 or 10, $"{f.Key}: {f.Value} of 10 articles"));
        Assert.Contains(afterStop, f => f.Value == 10); // the in-flight fetches were allowed to finish
        Assert.Contains(afterStop, f => urls.Contains(f.Key) && f.Value == 0); // and no new ones started

        await using (var again = RunningWorker.Start(environment))
        {
            await Cluster.WaitUntilAsync(
                async () => (await Cluster.ArticlesPerFeedAsync(database)).Count(f => urls.Contains(f.Key) && f.Value == 10) == feeds.Count,
                TimeSpan.FromSeconds(60), "every feed is stored after the restart");
            await again.StopAsync();
        }
        Assert.Equal(200, await Cluster.ScalarAsync(database, "SELECT count(*) FROM articles"));
    }
}
