using FeedWorker.Configuration;
using FeedWorker.Ingestion;
using FeedWorker.Refresh;
using FeedWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FeedWorker.Commands;

/// <summary>Builds the service provider a command runs in: configuration, logging to stderr and the pipeline stages.</summary>
internal static class CommandHost
{
    public static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production,
        });
        // stdout belongs to the commands' output (JSON Lines, tables); logs go to stderr.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // EF logs its expected probe of the not-yet-created history table as an error; failures are reported by the commands
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
        builder.Services.AddFeedIngestion(builder.Configuration);
        builder.Services.AddFeedWorkerOptions(builder.Configuration);
        // commands that need the database check for the connection string themselves
        if (builder.Configuration.GetConnectionString(FeedWorkerOptions.ConnectionStringName) is { Length: > 0 } connectionString)
        {
            builder.Services.AddFeedStorage(connectionString);
            builder.Services.AddFeedRefresh();
        }
        return builder.Build();
    }

    /// <summary>Null when the database is configured, else the one-line reason.</summary>
    public static string? MissingConnectionString(IHost host) =>
        host.Services.GetService<DatabaseMigrator>() is null
            ? $"ConnectionStrings:{FeedWorkerOptions.ConnectionStringName} is not set (environment variable ConnectionStrings__{FeedWorkerOptions.ConnectionStringName})"
            : null;
}
