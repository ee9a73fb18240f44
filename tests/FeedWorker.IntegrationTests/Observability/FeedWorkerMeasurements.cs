using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FeedWorker.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace FeedWorker.IntegrationTests.Observability;

/// <summary>
/// What one service provider's FeedWorker meter records, read with a <see cref="MeterListener"/>: only that
/// provider's, since other tests in the process have meters of the same name.
/// </summary>
public sealed class FeedWorkerMeasurements : IDisposable
{
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> _measurements = new();
    private readonly MeterListener _listener;

    public FeedWorkerMeasurements(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
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

    /// <summary>The values recorded on <paramref name="instrument"/> with all of <paramref name="tags"/>.</summary>
    public List<double> Of(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value)).Select(m => m.Value).ToList();

    public double Sum(string instrument, params (string Key, string Value)[] tags) => Of(instrument, tags).Sum();

    public void Dispose() => _listener.Dispose();

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var tagMap = new Dictionary<string, string?>();
        foreach (var tag in tags) tagMap[tag.Key] = tag.Value?.ToString();
        _measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), tagMap));
    }
}
