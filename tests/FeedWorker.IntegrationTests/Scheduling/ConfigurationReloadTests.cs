using System.Text.Json;
using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.Storage;

namespace FeedWorker.IntegrationTests.Scheduling;

[Collection(WorkerProcessCollection.Name)]
public sealed class ConfigurationReloadTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_configuration_reload_starts_a_new_feed_and_stops_a_removed_one_without_a_restart()
    {
        await using var server = await CountingFeedServer.StartAsync();
        Cluster.PublishFeeds(server, "reload", feeds: 3, items: 4);
        var (a, b, c) = (server.Url("reload00"), server.Url("reload01"), server.Url("reload02"));

        // an environment of its own, so its appsettings file is read by this worker only
        var environmentName = "Reload" + Guid.NewGuid().ToString("N")[..8];
        var settings = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environmentName}.json");
        WriteFeeds(settings, a, b);
        try
        {
            var environment = Cluster.Environment(database.ConnectionString, [], "reload");
            environment["DOTNET_ENVIRONMENT"] = environmentName;
            await using var worker = RunningWorker.Start(environment);
            await Cluster.WaitUntilAsync(() => server.RequestsFor("reload00").Count > 0 && server.RequestsFor("reload01").Count > 0,
                TimeSpan.FromSeconds(30), "the two configured feeds are fetched");

            WriteFeeds(settings, a, c);
            var changed = DateTimeOffset.UtcNow;
            await Cluster.WaitUntilAsync(() => server.RequestsFor("reload02").Count > 0, TimeSpan.FromSeconds(20), "the added feed is fetched");
            await Task.Delay(Cluster.Interval * 3);
            await worker.StopAsync();

            // a fetch already under way at the change may finish; none starts an interval later
            Assert.DoesNotContain(server.RequestsFor("reload01"), r => r.At > changed + Cluster.Interval + TimeSpan.FromSeconds(1));
            Assert.Contains(server.RequestsFor("reload00"), r => r.At > changed + Cluster.Interval);
            Assert.Equal(0, await Cluster.ScalarAsync(database, $"SELECT count(*) FROM feeds WHERE url = '{b}' AND enabled"));
            Assert.Equal(1, await Cluster.ScalarAsync(database,
                $"SELECT count(*) FROM feeds WHERE url = '{b}' AND disabled_reason = '{FeedStore.RemovedFromConfiguration}'"));
            var articles = await Cluster.ArticlesPerFeedAsync(database);
            Assert.Equal(4, articles[b]); // stopped, and its articles kept
            Assert.Equal(4, articles[c]);
        }
        finally
        {
            File.Delete(settings);
        }
    }

    private static void WriteFeeds(string path, params string[] urls)
    {
        var json = JsonSerializer.Serialize(new { FeedWorker = new { Feeds = urls.Select(u => new { Url = u }) } });
        // write then move, so the watcher never sees half a file
        File.WriteAllText(path + ".tmp", json);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
