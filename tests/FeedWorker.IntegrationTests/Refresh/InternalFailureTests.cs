using FeedWorker.IntegrationTests.Observability;
using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Refresh;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedWorker.IntegrationTests.Refresh;

/// <summary>
/// A failure inside the refresh that is neither a database outage nor one item's data is the feed's own
/// error: recorded on its row (kind <c>internal</c>, the cause, <c>error_count</c>), shown by <c>feeds</c> and
/// counted in the metrics, while the other feed of the same run is stored.
/// </summary>
/// <remarks>
/// No input is known to cause one: the one found (a NUL in an HTTP reason phrase, which failed the write of
/// the fetch error) now records its real cause. So the database itself refuses one feed's state write,
/// through a CHECK constraint added to this test's own database: a real PostgreSQL error, not transient
/// (no outage), and on the feed's row rather than an article's (no item to skip).
/// </remarks>
public sealed class InternalFailureTests : IAsyncLifetime
{
    private const string Refused = "refused-by-database";

    private readonly RefreshHost _host = new();
    private FeedWorkerMeasurements _metrics = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        await _host.ExecuteAsync($"ALTER TABLE feeds ADD CONSTRAINT test_refused_title CHECK (title IS DISTINCT FROM '{Refused}')");
        _metrics = new FeedWorkerMeasurements(_host.Services);
    }

    public async Task DisposeAsync()
    {
        _metrics.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_failure_inside_the_refresh_is_recorded_on_its_feed_shown_by_feeds_and_counted_while_the_other_feed_is_stored()
    {
        await using var server = await CountingFeedServer.StartAsync();
        server.Publish(Refused, FeedFiles.Rss(Refused, FeedFiles.Items(Refused, 3, firstSeed: 4000)));
        server.Publish("healthy", FeedFiles.Rss("healthy", FeedFiles.Items("healthy", 3, firstSeed: 4100)));
        var store = _host.Services.GetRequiredService<FeedStore>();
        var refresher = _host.Services.GetRequiredService<FeedRefresher>();
        var feeds = new[] { await store.EnsureAsync(server.Url(Refused), CancellationToken.None), await store.EnsureAsync(server.Url("healthy"), CancellationToken.None) };

        var outcomes = await Task.WhenAll(feeds.Select(f => refresher.RefreshAsync(f, CancellationToken.None))).WaitAsync(TimeSpan.FromMinutes(5));

        Assert.Equal([FeedRefreshStatus.Failed, FeedRefreshStatus.Stored], outcomes.Select(o => o.Status));
        var failed = await _host.FeedRowAsync(server.Url(Refused));
        Assert.Equal((1, "internal", 0L), (failed.ErrorCount, failed.LastErrorKind, failed.Links));
        Assert.StartsWith("refresh failed: 23514: ", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("test_refused_title", failed.LastError, StringComparison.Ordinal);
        var healthy = await _host.FeedRowAsync(server.Url("healthy"));
        Assert.Equal((0, null, 3L), (healthy.ErrorCount, healthy.LastError, healthy.Links));

        // what the `feeds` command shows: one failing feed, with its error
        var status = await new FeedStatusReader(_host.Services.GetRequiredService<NpgsqlDataSource>()).ListAsync(CancellationToken.None);
        var failing = Assert.Single(status, f => f.ErrorCount > 0);
        Assert.Equal((server.Url(Refused), 1, failed.LastError), (failing.Url, failing.ErrorCount, failing.LastError));

        Assert.Equal(1, _metrics.Sum("feedworker.fetches", ("outcome", "failed"), ("error_kind", "internal")));
        Assert.Equal(1, _metrics.Sum("feedworker.fetches", ("outcome", "stored")));
    }
}
