using System.CommandLine;
using FeedWorker.Observability;
using FeedWorker.Scheduling;
using FeedWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FeedWorker.Commands;

/// <summary>
/// <c>run</c> (also the default with no command): the long-running, scheduled worker. Applies
/// migrations, syncs the feed list, and fetches each feed on its schedule, sharing the work with
/// every other replica on the same database, until SIGTERM or Ctrl-C.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the scheduled worker until stopped (the default command).");
        command.SetAction((_, cancellationToken) => RunAsync(cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var host = CommandHost.Build((builder, connectionString) =>
        {
            if (connectionString is not null)
            {
                builder.Services.AddFeedScheduling(builder.Configuration, connectionString);
            }
            builder.Services.AddPrometheusEndpoint(builder.Configuration);
        });
        if (ObservabilityServiceCollectionExtensions.CheckPrometheusUrl(host.Services.GetRequiredService<IConfiguration>()) is { } badUrl)
        {
            await Console.Error.WriteLineAsync($"configuration error: {badUrl}");
            return 1;
        }
        if (!StartupChecks.ValidConfiguration(host) || !await DatabaseStep.MigrateAsync(host, cancellationToken))
        {
            return 1;
        }
        try
        {
            await host.RunAsync(cancellationToken);
            return 0;
        }
        catch (Exception e) when (StorageUnavailableException.IsUnavailable(e))
        {
            await Console.Error.WriteLineAsync($"error: PostgreSQL is unreachable: {StorageUnavailableException.Describe(e)}");
            return 1;
        }
    }
}
