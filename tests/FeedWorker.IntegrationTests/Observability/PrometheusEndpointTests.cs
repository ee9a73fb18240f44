using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Scheduling;

namespace FeedWorker.IntegrationTests.Observability;

/// <summary>The opt-in Prometheus endpoint of <c>run</c>, scraped from a real worker process.</summary>
[Collection(WorkerProcessCollection.Name)]
public sealed class PrometheusEndpointTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Run_serves_the_feedworker_metrics_on_the_configured_port_once_a_feed_was_fetched()
    {
        await using var server = await CountingFeedServer.StartAsync();
        Cluster.PublishFeeds(server, "prom", feeds: 1, items: 3);
        var port = LoopbackPort.Unused();
        var environment = Cluster.Environment(database.ConnectionString, [server.Url("prom00")], "prometheus");
        environment["FeedWorker__Metrics__PrometheusUrl"] = $"http://127.0.0.1:{port}/";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        await using var worker = RunningWorker.Start(environment);
        await worker.WaitUntilStartedAsync();
        var scrape = "";
        await Cluster.WaitUntilAsync(async () =>
        {
            scrape = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            return scrape.Contains("feedworker_fetches_total{", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the endpoint reports a fetch");
        await worker.StopAsync();

        Assert.Matches(@"feedworker_fetches_total\{[^}]*outcome=""stored""[^}]*\} [1-9]", scrape);
        Assert.Matches(@"feedworker_articles_total\{[^}]*result=""new""[^}]*\} 3\b", scrape);
        Assert.Contains("feedworker_fetch_duration_seconds_bucket{", scrape);
        Assert.Contains("feedworker_store_duration_seconds_count", scrape);
    }

    [Fact]
    public async Task A_prometheus_url_that_is_no_http_listener_address_stops_run_naming_the_key()
    {
        var bad = Cluster.Environment(database.ConnectionString, [], "prometheus-bad");
        bad["FeedWorker__Metrics__PrometheusUrl"] = "ftp://127.0.0.1:9464/";
        var result = await Once.FeedWorkerProcess.RunAsync(bad, "run");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("configuration error: FeedWorker:Metrics:PrometheusUrl: 'ftp://127.0.0.1:9464/' is not an http listener address", result.Stderr);
    }
}
