using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FeedWorker.Configuration;

internal static class ConfigurationServiceCollectionExtensions
{
    public static IServiceCollection AddFeedWorkerOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedWorkerOptions>().Bind(configuration.GetSection(FeedWorkerOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FeedWorkerOptions>, FeedWorkerOptionsValidator>();
        services.AddSingleton<IOptionsChangeTokenSource<FeedWorkerOptions>, OpmlChangeTokenSource>();
        services.AddSingleton<ConfiguredFeeds>();
        services.AddSingleton<FeedBaseUrls>();
        return services;
    }
}
