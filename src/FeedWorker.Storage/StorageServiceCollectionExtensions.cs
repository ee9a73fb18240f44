using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace FeedWorker.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the data source, the EF Core context (schema and migrations) and the stores.</summary>
    public static IServiceCollection AddFeedStorage(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddDbContext<FeedWorkerDbContext>((sp, options) => Configure(options, sp.GetRequiredService<NpgsqlDataSource>()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<FeedStore>();
        services.AddSingleton<ArticleStore>();
        services.AddSingleton<ArticlePruner>();
        return services;
    }

    internal static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource).UseSnakeCaseNamingConvention();

    internal static DbContextOptionsBuilder<FeedWorkerDbContext> Configure(DbContextOptionsBuilder<FeedWorkerDbContext> options, string connectionString)
    {
        options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();
        return options;
    }
}
