using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace FeedWorker.Observability;

internal static class ObservabilityServiceCollectionExtensions
{
    private const string Key = $"{MetricsOptions.SectionName}:{nameof(MetricsOptions.PrometheusUrl)}";

    /// <summary>
    /// The Prometheus scrape endpoint for the <c>FeedWorker</c> meter, when <c>FeedWorker:Metrics:PrometheusUrl</c>
    /// is set. Only the long-running worker calls this: a one-shot command has nothing to be scraped.
    /// </summary>
    public static IServiceCollection AddPrometheusEndpoint(this IServiceCollection services, IConfiguration configuration)
    {
        if (ParsePrometheusUrl(configuration) is not { Host: { } host, Port: var port })
        {
            return services;
        }
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(FeedWorkerMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Host = host;
                o.Port = port;
            }));
        return services;
    }

    /// <summary>Null when no URL is configured or it is a usable listener address, else why not.</summary>
    public static string? CheckPrometheusUrl(IConfiguration configuration) =>
        ParsePrometheusUrl(configuration).Error is { } error ? $"{Key}: {error}" : null;

    private static (string? Host, int Port, string? Error) ParsePrometheusUrl(IConfiguration configuration)
    {
        var url = configuration[Key]?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            return (null, 0, null);
        }
        // HttpListener's wildcard hosts "+" and "*" are not URI hosts: parse with a stand-in
        var wildcard = url.Contains("://+", StringComparison.Ordinal) ? "+" : url.Contains("://*", StringComparison.Ordinal) ? "*" : null;
        var probe = wildcard is null ? url : url.Replace("://" + wildcard, "://wildcard.invalid", StringComparison.Ordinal);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme != "http" || uri.AbsolutePath != "/")
        {
            return (null, 0, $"'{url}' is not an http listener address such as 'http://+:9464/' (metrics are served at /metrics)");
        }
        return (wildcard ?? uri.Host, uri.Port, null);
    }
}
