using FeedWorker.IntegrationTests.Once;
using Npgsql;

namespace FeedWorker.IntegrationTests.Scheduling;

/// <summary>PostgreSQL goes away under the running worker and comes back: the worker says so, keeps running, and resumes.</summary>
[Collection(WorkerProcessCollection.Name)]
public sealed class DatabaseRestartTests : IAsyncLifetime
{
    private readonly PrivateCluster _cluster = new();

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_database_restart_under_the_running_worker_is_survived_and_every_article_stored_once()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var feeds = Cluster.PublishFeeds(server, "restart", feeds: 20, items: 5);
        var urls = feeds.Select(server.Url).ToList();

        await using var worker = RunningWorker.Start(Cluster.Environment(_cluster.ConnectionString, urls, "restart"));
        await worker.WaitUntilStartedAsync();
        await Cluster.WaitUntilAsync(async () => await StoredFeedsAsync(5) == feeds.Count, TimeSpan.FromSeconds(60), "every feed is stored");

        await _cluster.StopAsync();
        // stories published while the database is down must still arrive
        for (var i = 0; i < feeds.Count; i++)
        {
            server.Publish(feeds[i], Storage.FeedFiles.Rss(feeds[i], Cluster.Stories(feeds[i], i, 5).Concat(Cluster.Stories(feeds[i], i, 2, batch: 1))));
        }
        // the job store lives in the same database: while it is down nothing is due, nothing can be stored
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.False(worker.HasExited, worker.Output);
        var duringOutage = worker.Output;

        await _cluster.StartAsync();
        await Cluster.WaitUntilAsync(async () => await StoredFeedsAsync(7) == feeds.Count, TimeSpan.FromSeconds(90),
            "every feed has its new stories after the restart");
        await worker.StopAsync();

        Assert.Contains("Connection refused", duringOutage, StringComparison.Ordinal);
        Assert.Equal(feeds.Count * 7, await CountAsync("SELECT count(*) FROM articles"));
        Assert.Equal(feeds.Count * 7, await CountAsync("SELECT count(*) FROM feed_articles"));
    }

    private async Task<int> StoredFeedsAsync(int articles)
    {
        try
        {
            return (int)await CountAsync($"SELECT count(*) FROM (SELECT feed_id FROM feed_articles GROUP BY feed_id HAVING count(*) = {articles}) f");
        }
        catch (NpgsqlException)
        {
            return 0; // not migrated yet, or down
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        // no pool: pooled connections die with the server
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
