using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace FeedWorker.Commands;

/// <summary>What the reporting commands share: migrate, read every feed's state, one clear line when the database fails.</summary>
internal static class DatabaseRead
{
    public static async Task<IReadOnlyList<FeedStatus>?> FeedsAsync(IHost host, CancellationToken cancellationToken)
    {
        if (!await DatabaseStep.MigrateAsync(host, cancellationToken)) return null;
        try
        {
            return await new FeedStatusReader(host.Services.GetRequiredService<NpgsqlDataSource>()).ListAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"error: database: {StorageUnavailableException.Describe(e)}");
            return null;
        }
    }
}
