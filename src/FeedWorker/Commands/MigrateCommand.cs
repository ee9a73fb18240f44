using System.CommandLine;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FeedWorker.Commands;

/// <summary><c>migrate</c>: applies the database migrations and nothing else.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the database migrations, then exit.");
        command.SetAction(async (_, cancellationToken) =>
        {
            using var host = CommandHost.Build();
            return await DatabaseStep.MigrateAsync(host, cancellationToken) ? 0 : 1;
        });
        return command;
    }
}

/// <summary>The start every database command shares: configuration checked, migrations applied, one clear line on failure.</summary>
internal static class DatabaseStep
{
    public static async Task<bool> MigrateAsync(Microsoft.Extensions.Hosting.IHost host, CancellationToken cancellationToken)
    {
        if (CommandHost.MissingConnectionString(host) is { } missing)
        {
            await Console.Error.WriteLineAsync($"error: {missing}");
            return false;
        }
        try
        {
            await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            return true;
        }
        catch (StorageUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return false;
        }
    }
}
