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
    /// <param name="configure">What a command adds to the common services (the scheduler, for <c>run</c>).</param>
    public static IHost Build(Action<HostApplicationBuilder, string?>? configure = null)
    {
        var location = SettingsLocation.FromEnvironment();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = location.ContentRoot,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production,
        });
        location.Apply(builder.Configuration, builder.Environment.EnvironmentName);
        // stdout belongs to the commands' output (JSON Lines, tables); logs go to stderr.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (InContainer && builder.Configuration["Logging:Console:FormatterName"] is null)
        {
            // log collectors read JSON; a terminal keeps the readable format
            builder.Logging.AddJsonConsole();
        }
        // EF logs its expected probe of the not-yet-created history table as an error; failures are reported by the commands
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
        builder.Services.AddFeedIngestion(builder.Configuration);
        builder.Services.AddFeedWorkerOptions(builder.Configuration);
        // commands that need the database check for the connection string themselves
        var connectionString = builder.Configuration.GetConnectionString(FeedWorkerOptions.ConnectionStringName) is { Length: > 0 } cs ? cs : null;
        if (connectionString is not null)
        {
            builder.Services.AddFeedStorage(connectionString);
            builder.Services.AddFeedRefresh();
        }
        configure?.Invoke(builder, connectionString);
        return builder.Build();
    }

    private static bool InContainer => Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") == "true";

    /// <summary>Null when the database is configured, else the one-line reason.</summary>
    public static string? MissingConnectionString(IHost host) =>
        host.Services.GetService<DatabaseMigrator>() is null
            ? $"ConnectionStrings:{FeedWorkerOptions.ConnectionStringName} is not set (environment variable ConnectionStrings__{FeedWorkerOptions.ConnectionStringName})"
            : null;
}
