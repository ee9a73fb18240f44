using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Parsing;
using Microsoft.Extensions.DependencyInjection;

namespace FeedWorker.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>Registers the fetch, parse and clean stages.</summary>
    public static IServiceCollection AddFeedIngestion(this IServiceCollection services)
    {
        services.AddHttpClient<IFeedFetcher, FeedFetcher>();
        services.AddSingleton<IFeedParser, FeedParser>();
        services.AddSingleton<IHtmlCleaner, HtmlCleaner>();
        services.AddSingleton<FeedDocumentProcessor>();
        return services;
    }
}
