using Microsoft.Extensions.DependencyInjection;

namespace FeedWorker.Refresh;

internal static class RefreshServiceCollectionExtensions
{
    public static IServiceCollection AddFeedRefresh(this IServiceCollection services) => services.AddSingleton<FeedRefresher>();
}
