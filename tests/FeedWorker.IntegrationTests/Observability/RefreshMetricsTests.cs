using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FeedWorker.Ingestion;
using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Observability;
using FeedWorker.IntegrationTests.Refresh;
using FeedWorker.Refresh;
using FeedWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedWorker.IntegrationTests.Observability;

/// <summary>What <see cref="FeedRefresher"/> records on the FeedWorker meter, read with a <see cref="MeterListener"/>.</summary>
public sealed class RefreshMetricsTests : IAsyncLifetime
{
    private readonly RefreshHost _host = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> _measurements = new();
    private MeterListener _listener = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();

        // only this provider's meter: other tests in the process have meters of the same name
        var factory = _host.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == FeedWorkerMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
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
        Assert.Equal(1, Sum("feedworker.fetches", ("outcome", "stored")));
        Assert.Equal(stored.Stored.New, Sum("feedworker.articles", ("result", "new")));
        Assert.Equal(5, stored.Stored.New);
        Assert.Equal(stored.Stored.Duplicates, Sum("feedworker.articles", ("result", "duplicate")));
        Assert.Single(Measurements("feedworker.store.duration"));
        Assert.Single(Measurements("feedworker.fetch.duration", ("outcome", "fetched")));

        // the stored ETag makes the second fetch conditional: 304
        var again = await refresher.RefreshAsync((await store.ListEnabledAsync(CancellationToken.None)).Single(), CancellationToken.None);
        Assert.Equal(FeedRefreshStatus.NotModified, again.Status);
        Assert.Equal(1, Sum("feedworker.fetches", ("outcome", "not_modified")));
        Assert.Equal(1, Sum("feedworker.not_modified"));
        Assert.Single(Measurements("feedworker.fetch.duration", ("outcome", "not_modified")));
        Assert.Equal(5, Sum("feedworker.articles", ("result", "new"))); // nothing stored again

        var missing = await store.EnsureAsync(server.Url("never-published"), CancellationToken.None);
        var failed = await refresher.RefreshAsync(missing, CancellationToken.None);
        Assert.Equal(FeedRefreshStatus.Failed, failed.Status);
        Assert.Equal(1, Sum("feedworker.fetches", ("outcome", "failed"), ("error_kind", "NotFound")));
        Assert.Equal(3, Sum("feedworker.fetches"));
        Assert.Single(Measurements("feedworker.store.duration")); // a failure stores nothing
    }

    [Fact]
    public async Task A_document_that_is_not_a_feed_counts_as_failed_with_the_parse_error_kind()
    {
        var path = Path.Combine(Path.GetTempPath(), $"feedworker-not-a-feed-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "just some text, no feed here");
        try
        {
            var feed = await _host.Services.GetRequiredService<FeedStore>().EnsureAsync(new Uri(path).AbsoluteUri, CancellationToken.None);
            var outcome = await _host.Services.GetRequiredService<FeedRefresher>().RefreshAsync(feed, CancellationToken.None);
            Assert.Equal(FeedRefreshStatus.Failed, outcome.Status);
            Assert.Equal(1, Sum("feedworker.fetches", ("outcome", "failed"), ("error_kind", "parse")));
            Assert.Single(Measurements("feedworker.fetch.duration", ("outcome", "fetched")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var tagMap = new Dictionary<string, string?>();
        foreach (var tag in tags) tagMap[tag.Key] = tag.Value?.ToString();
        _measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), tagMap));
    }

    private List<double> Measurements(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value)).Select(m => m.Value).ToList();

    private double Sum(string instrument, params (string Key, string Value)[] tags) => Measurements(instrument, tags).Sum();
}
