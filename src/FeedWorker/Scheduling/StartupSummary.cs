using System.Reflection;
using FeedWorker.Observability;
using FeedWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FeedWorker.Scheduling;

/// <summary>
/// The one line a start prints at the default level: version, database, feed count, scheduler mode and
/// where the metrics are. Runs after the first feed-list sync, so the count is the one being scheduled.
/// </summary>
internal sealed partial class StartupSummary(
    FeedStore feeds,
    NpgsqlDataSource dataSource,
    ReplicaIdentity replica,
    IOptions<SchedulingOptions> options,
    IConfiguration configuration,
    ILogger<StartupSummary> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var version = typeof(StartupSummary).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var database = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var metrics = configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>()?.PrometheusUrl is { Length: > 0 } url
            ? url.TrimEnd('/') + "/metrics"
            : "no endpoint (set FeedWorker:Metrics:PrometheusUrl)";
        LogStarted(
            version.Split('+')[0], database.Host, database.Port, database.Database, await feeds.CountEnabledAsync(cancellationToken),
            options.Value.MaxConcurrentFetches, replica.Id, metrics);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "FeedWorker {Version}: database {Host}:{Port}/{Database}, {Feeds} feed(s) enabled; scheduler: due feeds claimed from the feeds table, {Concurrency} fetches at once, replica {Replica} in the cluster; metrics: {Metrics}")]
    private partial void LogStarted(string version, string? host, int port, string? database, long feeds, int concurrency, string replica, string metrics);
}
