using System.Diagnostics.Metrics;
using FeedWorker.Ingestion;
using FeedWorker.Storage;

namespace FeedWorker.Observability;

/// <summary>
/// The worker's instruments, all on the one <c>FeedWorker</c> meter. Names follow the OpenTelemetry
/// conventions; the Prometheus exporter turns them into <c>feedworker_fetches_total</c> and so on.
/// </summary>
public sealed class FeedWorkerMetrics
{
    public const string MeterName = "FeedWorker";

    public static class Outcomes
    {
        public const string Stored = "stored";
        public const string NotModified = "not_modified";
        public const string Failed = "failed";
    }

    private readonly Counter<long> _fetches;
    private readonly Counter<long> _notModified;
    private readonly Counter<long> _articles;
    private readonly Counter<long> _warnings;
    private readonly Histogram<double> _fetchDuration;
    private readonly Histogram<double> _storeDuration;

    public FeedWorkerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _fetches = meter.CreateCounter<long>("feedworker.fetches", "{fetch}", "Feed refreshes by outcome (stored, not_modified, failed) and error kind");
        _notModified = meter.CreateCounter<long>("feedworker.not_modified", "{response}", "Conditional fetches answered 304 Not Modified");
        _articles = meter.CreateCounter<long>("feedworker.articles", "{article}", "Feed items by result (new, updated, unchanged, duplicate, near_duplicate; filtered: left out by rules)");
        _warnings = meter.CreateCounter<long>("feedworker.warnings", "{warning}", "Items skipped or repeated, text repaired and dates dropped while reading and storing feeds");
        _fetchDuration = meter.CreateHistogram<double>("feedworker.fetch.duration", "s", "Time to fetch a feed document, by outcome");
        _storeDuration = meter.CreateHistogram<double>("feedworker.store.duration", "s", "Time to store a feed's items in PostgreSQL");
    }

    public void FetchCompleted(TimeSpan duration, string outcome) =>
        _fetchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="filtered">Items the keep and block rules left out (result <c>filtered</c>).</param>
    public void Stored(StoreResult result, TimeSpan duration, int filtered = 0)
    {
        AddArticles("filtered", filtered);
        _storeDuration.Record(duration.TotalSeconds);
        _fetches.Add(1, new KeyValuePair<string, object?>("outcome", Outcomes.Stored));
        AddArticles("new", result.New);
        AddArticles("updated", result.Updated);
        AddArticles("unchanged", result.Unchanged);
        AddArticles("duplicate", result.Duplicates);
        AddArticles("near_duplicate", result.NearDuplicates);
        if (result.Warnings.Count > 0) _warnings.Add(result.Warnings.Count);
    }

    public void NotModified()
    {
        _notModified.Add(1);
        _fetches.Add(1, new KeyValuePair<string, object?>("outcome", Outcomes.NotModified));
    }

    /// <param name="errorKind">Labelled with the same text <c>feeds.last_error_kind</c> stores (<see cref="FeedErrorKindText"/>).</param>
    public void Failed(FeedErrorKind errorKind) =>
        _fetches.Add(1, new KeyValuePair<string, object?>("outcome", Outcomes.Failed), new KeyValuePair<string, object?>("error_kind", FeedErrorKindText.Of(errorKind)));

    private void AddArticles(string result, int count)
    {
        if (count > 0) _articles.Add(count, new KeyValuePair<string, object?>("result", result));
    }
}
