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
        services.AddSingleton<FeedControls>();
        services.AddOptions<Storage.RetentionOptions>().Bind(configuration.GetSection(Storage.RetentionOptions.SectionName))
            .Validate(o => o.MaxAge is null || o.MaxAge > TimeSpan.Zero, $"{Storage.RetentionOptions.SectionName}:MaxAge: must be positive")
            .Validate(o => o.BatchSize >= 1, $"{Storage.RetentionOptions.SectionName}:BatchSize: must be at least 1")
            .ValidateOnStart();
        services.AddOptions<FeedWorker.Storage.NotificationOptions>().Bind(configuration.GetSection(FeedWorker.Storage.NotificationOptions.SectionName));
        return services;
    }
}
