using System.Diagnostics.Metrics;
using FeedWorker.Ingestion;
using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.IntegrationTests.Refresh;
using FeedWorker.Refresh;
using FeedWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedWorker.IntegrationTests.Observability;

/// <summary>What <see cref="FeedRefresher"/> records on the FeedWorker meter, read with a <see cref="MeterListener"/>.</summary>
public sealed class RefreshMetricsTests : IAsyncLifetime
{
    private readonly RefreshHost _host = new();
    private FeedWorkerMeasurements _metrics = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _metrics = new FeedWorkerMeasurements(_host.Services);
    }

    public async Task DisposeAsync()
    {
        _metrics.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_stored_a_not_modified_and_a_failed_fetch_are_counted_by_outcome_with_articles_and_durations()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var items = Cluster.Stories("metrics", 0, 5);
        // two of the five stories are copies of the first two under other guids: duplicates across items
        server.Publish("metrics", FeedFiles.Rss("metrics", items.Concat(items.Take(2).Select(i => i with { Guid = "copy-" + i.Guid })).ToList()));
        var store = _host.Services.GetRequiredService<FeedStore>();
        var refresher = _host.Services.GetRequiredService<FeedRefresher>();

        var feed = await store.EnsureAsync(server.Url("metrics"), CancellationToken.None);
        var stored = await refresher.RefreshAsync(feed, CancellationToken.None);
        Assert.Equal(FeedRefreshStatus.Stored, stored.Status);
        Assert.Equal(1, _metrics.Sum("feedworker.fetches", ("outcome", "stored")));
        Assert.Equal(stored.Stored.New, _metrics.Sum("feedworker.articles", ("result", "new")));
        Assert.Equal(5, stored.Stored.New);
        Assert.Equal(stored.Stored.Duplicates, _metrics.Sum("feedworker.articles", ("result", "duplicate")));
        Assert.Single(_metrics.Of("feedworker.store.duration"));
        Assert.Single(_metrics.Of("feedworker.fetch.duration", ("outcome", "fetched")));

        // the stored ETag makes the second fetch conditional: 304
        var again = await refresher.RefreshAsync((await store.ListEnabledAsync(CancellationToken.None)).Single(), CancellationToken.None);
        Assert.Equal(FeedRefreshStatus.NotModified, again.Status);
        Assert.Equal(1, _metrics.Sum("feedworker.fetches", ("outcome", "not_modified")));
        Assert.Equal(1, _metrics.Sum("feedworker.not_modified"));
        Assert.Single(_metrics.Of("feedworker.fetch.duration", ("outcome", "not_modified")));
        Assert.Equal(5, _metrics.Sum("feedworker.articles", ("result", "new"))); // nothing stored again

        var missing = await store.EnsureAsync(server.Url("never-published"), CancellationToken.None);
        var failed = await refresher.RefreshAsync(missing, CancellationToken.None);
        Assert.Equal(FeedRefreshStatus.Failed, failed.Status);
        Assert.Equal(1, _metrics.Sum("feedworker.fetches", ("outcome", "failed"), ("error_kind", "NotFound")));
        Assert.Equal(3, _metrics.Sum("feedworker.fetches"));
        Assert.Single(_metrics.Of("feedworker.store.duration")); // a failure stores nothing
    }

    [Fact]
    public async Task A_document_that_is_not_a_feed_counts_as_failed_and_is_recorded_with_the_parse_error_kind()
    {
        var path = Path.Combine(Path.GetTempPath(), $"feedworker-not-a-feed-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "just some text, no feed here");
        try
        {
            var url = new Uri(path).AbsoluteUri;
            var feed = await _host.Services.GetRequiredService<FeedStore>().EnsureAsync(url, CancellationToken.None);
            var outcome = await _host.Services.GetRequiredService<FeedRefresher>().RefreshAsync(feed, CancellationToken.None);
            Assert.Equal(FeedRefreshStatus.Failed, outcome.Status);
            Assert.Equal(1, _metrics.Sum("feedworker.fetches", ("outcome", "failed"), ("error_kind", "parse")));
            Assert.Single(_metrics.Of("feedworker.fetch.duration", ("outcome", "fetched")));
            var row = await _host.FeedRowAsync(url);
            Assert.Equal((1, "parse"), (row.ErrorCount, row.LastErrorKind));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The database fails the write (a statement timeout behind a lock the test holds): counted under the
    /// kind the store records when such a fault persists (when that is, the dispatcher decides: DatabaseSaturationTests).
    /// </summary>
    [Fact]
    public async Task A_database_failure_counts_as_failed_and_is_recorded_with_the_database_error_kind()
    {
        await using var server = await CountingFeedServer.StartAsync();
        server.Publish("locked-out", FeedFiles.Rss("locked-out", Cluster.Stories("locked-out", 0, 2)));
        var store = _host.Services.GetRequiredService<FeedStore>();
        var feed = await store.EnsureAsync(server.Url("locked-out"), CancellationToken.None);
        await _host.ExecuteAsync("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET statement_timeout = 1000', current_database()); END $$");
        _host.Services.GetRequiredService<NpgsqlDataSource>().Clear(); // pooled connections keep the old setting

        FeedRefreshOutcome outcome;
        await using (var connection = new NpgsqlConnection(_host.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var lockArticles = new NpgsqlCommand("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await lockArticles.ExecuteNonQueryAsync();
            }
            outcome = await _host.Services.GetRequiredService<FeedRefresher>().RefreshAsync(feed, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        }

        Assert.True(outcome.StorageUnavailable, outcome.Error);
        Assert.Equal(1, _metrics.Sum("feedworker.fetches", ("outcome", "failed"), ("error_kind", "database")));
        Assert.Equal(1, _metrics.Sum("feedworker.fetches"));
        await store.RecordDatabaseFailureAsync(feed, DateTimeOffset.UtcNow.AddMinutes(1), outcome.Error, CancellationToken.None);
        var row = await _host.FeedRowAsync(server.Url("locked-out"));
        Assert.Equal((1, "database", 0L), (row.ErrorCount, row.LastErrorKind, row.Links));
        Assert.Contains("statement timeout", row.LastError, StringComparison.Ordinal);
    }
}
