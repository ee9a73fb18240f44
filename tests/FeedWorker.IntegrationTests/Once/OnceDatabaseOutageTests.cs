using System.Diagnostics;
using FeedWorker.IntegrationTests.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace FeedWorker.IntegrationTests.Once;

/// <summary>PostgreSQL stops in the middle of a <c>once</c> run: a clear error, nothing half-written, a rerun completes.</summary>
public sealed class OnceDatabaseOutageTests : IAsyncLifetime
{
    private readonly PrivateCluster _cluster = new();
    private readonly TaskCompletionSource _slowFeedRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _releaseSlowFeed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LocalServer? _server;

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync();
        var feeds = new FeedFiles();
        var fast1 = File.ReadAllText(feeds.Write("fast1", FeedFiles.Items("fast1", 6, firstSeed: 3000)));
        var fast2 = File.ReadAllText(feeds.Write("fast2", FeedFiles.Items("fast2", 6, firstSeed: 3100)));
        var slow = File.ReadAllText(feeds.Write("slow", FeedFiles.Items("slow", 6, firstSeed: 3200)));
        feeds.Dispose();

        _server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/fast1.xml", () => Results.Text(fast1, "application/rss+xml"));
            app.MapGet("/fast2.xml", () => Results.Text(fast2, "application/rss+xml"));
            app.MapGet("/slow.xml", async () =>
            {
                _slowFeedRequested.TrySetResult();
                await _releaseSlowFeed.Task;
                return Results.Text(slow, "application/rss+xml");
            });
        });
    }

    public async Task DisposeAsync()
    {
        _releaseSlowFeed.TrySetResult();
        if (_server is not null) await _server.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private string Url(string path) => _server!.Url(path).AbsoluteUri;

    private async Task<long> CountAsync(string sql)
    {
        // no pool: pooled connections die with the server
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Stopping_PostgreSQL_mid_run_reports_it_and_a_rerun_completes_the_work()
    {
        var environment = FeedWorkerProcess.Environment(_cluster.ConnectionString, [Url("fast1.xml"), Url("fast2.xml"), Url("slow.xml")]);
        var run = FeedWorkerProcess.RunAsync(environment, "once");

        // the fast feeds are stored while the slow one is still downloading
        await _slowFeedRequested.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var stopwatch = Stopwatch.StartNew();
        while (await CountAsync("SELECT count(*) FROM feeds WHERE last_success_at IS NOT NULL") < 2)
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), "the fast feeds were not stored");
            await Task.Delay(100);
        }
        await _cluster.StopAsync();
        _releaseSlowFeed.SetResult();
        var interrupted = await run;

        Assert.True(interrupted.ExitCode == 1, interrupted.ToString());
        var error = Assert.Single(interrupted.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("database unavailable", error);
        Assert.Contains("rerun", error);

        await _cluster.StartAsync();
        // nothing of the slow feed was half-written
        Assert.Equal(12, await CountAsync("SELECT count(*) FROM articles"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM feed_articles fa JOIN feeds f ON f.id = fa.feed_id WHERE f.url LIKE '%/slow.xml'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM feeds WHERE url LIKE '%/slow.xml' AND last_success_at IS NOT NULL"));

        var rerun = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Matches(@"TOTAL \(3 feeds\)\s+ok\s+6\s+0\s+12\s+0\s+0", rerun.Stdout);
        Assert.Equal(18, await CountAsync("SELECT count(*) FROM articles"));
        Assert.Equal(18, await CountAsync("SELECT count(DISTINCT canonical_url) FROM articles"));
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM feeds WHERE last_success_at IS NOT NULL AND error_count = 0"));
    }
}
