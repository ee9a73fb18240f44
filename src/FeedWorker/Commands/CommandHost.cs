using FeedWorker.Ingestion;
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
        builder.Services.AddFeedIngestion(builder.Configuration);
        return builder.Build();
    }
}
