namespace FeedWorker.Observability;

/// <summary>The <c>FeedWorker:Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "FeedWorker:Metrics";

    /// <summary>
    /// Where <c>run</c> serves Prometheus metrics (<c>/metrics</c> under this prefix), e.g.
    /// "http://+:9464/". Unset: no endpoint (the default).
    /// </summary>
    public string? PrometheusUrl { get; set; }
}
