using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;

namespace FeedWorker.IntegrationTests.Once;

/// <summary>The cost of polling feeds that have not changed: one conditional request each, a 304, no article writes.</summary>
public sealed class RepollTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int Feeds = 200;

    [Fact]
    public async Task A_repoll_of_unchanged_feeds_makes_one_conditional_request_each_gets_304s_and_writes_no_articles()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var names = Cluster.PublishFeeds(server, "repoll", Feeds, items: 3);
        var environment = FeedWorkerProcess.Environment(database.ConnectionString, names.Select(server.Url).ToList());

        var cold = await FeedWorkerProcess.RunAsync(environment, "once");
        Assert.True(cold.ExitCode == 0, cold.ToString());
        Assert.Equal(Feeds * 3, await Cluster.ScalarAsync(database, "SELECT count(*) FROM articles"));
        var articlesBefore = await StorageHost.RowVersionsAsync(database.ConnectionString);
        var requestsBefore = server.Requests.Count;

        var repoll = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(repoll.ExitCode == 0, repoll.ToString());
        var requests = server.Requests.Skip(requestsBefore).ToList();
        Assert.Equal(Feeds, requests.Count);
        Assert.All(requests, r => Assert.Equal(304, r.Status));
        Assert.Equal(names.Order(), requests.Select(r => r.Feed).Order());
        // not a row of articles or feed_articles was written (their xmin would change)
        Assert.Equal(articlesBefore, await StorageHost.RowVersionsAsync(database.ConnectionString));
        Assert.Equal(Feeds, await Cluster.ScalarAsync(database, "SELECT count(*) FROM feeds WHERE last_status = 304 AND consecutive_not_modified = 1"));
    }
}
