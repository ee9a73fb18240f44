using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.FullContent;
using FeedWorker.Ingestion.Parsing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly.Telemetry;
using Polly;

namespace FeedWorker.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the fetch, full-content, parse and clean stages, with fetcher options from
    /// <c>FeedWorker:Fetcher</c> and full-content options from <c>FeedWorker:FullContent</c>.
    /// </summary>
    public static IServiceCollection AddFeedIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FetcherOptions>()
            .Bind(configuration.GetSection(FetcherOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FetcherOptions>, FetcherOptionsValidator>();
        services.AddOptions<FullContentOptions>()
            .Bind(configuration.GetSection(FullContentOptions.SectionName));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FetchBackoff>(_ => new FetchBackoff());
        services.AddSingleton<HostConcurrencyLimiter>();
        services.AddSingleton<HttpDocumentFetcher>();
        services.AddSingleton<FeedClients>();
        // the full-content allowlist also lets a feed's redirect reach an internal address
        services.AddSingleton(sp => new DestinationPolicy(sp.GetRequiredService<IOptions<FullContentOptions>>().Value.Allowlist));
        services.AddSingleton<GuardedConnector>();
        // internal constructors (their parameters are internal types): registered by factory
        services.AddSingleton(sp => new FeedFetcher(
            sp.GetRequiredService<FeedClients>(),
            sp.GetRequiredService<HttpDocumentFetcher>(),
            sp.GetRequiredService<IOptions<FetcherOptions>>()));
        services.AddSingleton(sp => new FullContentExtractor(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<HttpDocumentFetcher>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<FullContentExtractor>>()));

        // a retry after a network error is routine: the fetch's own result names the cause in one line,
        // so Polly's per-attempt events (each with the exception's stack trace) are Debug detail
        services.Configure<TelemetryOptions>(telemetry => telemetry.SeverityProvider = args =>
            args.Event.EventName is "OnRetry" or "ExecutionAttempt" ? ResilienceEventSeverity.Debug : args.Event.Severity);
        AddFetchClient(services, FeedFetcher.ClientName, connector: null);
        AddFetchClient(services, FullContentExtractor.ClientName, connector: sp => sp.GetRequiredService<GuardedConnector>());

        services.AddSingleton<FeedParser>();
        services.AddSingleton<HtmlCleaner>();
        services.AddSingleton<FeedDocumentProcessor>();
        services.AddSingleton<ArticlePages>();
        return services;
    }

    private static void AddFetchClient(IServiceCollection services, string name, Func<IServiceProvider, GuardedConnector>? connector)
    {
        services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan) // the fetcher enforces the total timeout
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<FetcherOptions>>().Value;
                var handler = FetchHandler.Create(options, connector is null ? options.DefaultProxy : null);
                if (connector is not null)
                {
                    handler.ConnectCallback = connector(sp).ConnectAsync;
                    // Through a proxy the callback would check the proxy's address, not the article's.
                    handler.UseProxy = false;
                }
                return handler;
            })
            .AddResilienceHandler(name + ".Retry", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<FetcherOptions>>().Value;
                pipeline.AddRetry(FetchRetryPolicy.Create(options, context.ServiceProvider.GetRequiredService<TimeProvider>()));
            });
    }
}
