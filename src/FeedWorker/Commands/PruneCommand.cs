using System.CommandLine;
using System.Globalization;
using FeedWorker.Configuration;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FeedWorker.Commands;

/// <summary>
/// <c>prune [--dry-run]</c>: applies retention now (<c>FeedWorker:Retention:MaxAge</c> and the feeds'
/// own <c>MaxAge</c>), printing one line per article deleted, or that would be with <c>--dry-run</c>.
/// </summary>
internal static class PruneCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be deleted; delete nothing." };
        var command = new Command("prune", "Delete articles older than the configured retention, with their feed links.") { dryRun };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var host = CommandHost.Build();
            if (!StartupChecks.ValidConfiguration(host)) return 1;
            if (!await DatabaseStep.MigrateAsync(host, cancellationToken)) return 1;
            var maxAges = host.Services.GetRequiredService<FeedControls>().MaxAges();
            var pruner = host.Services.GetRequiredService<ArticlePruner>();
            var dry = parsed.GetValue(dryRun);
            var verb = dry ? "would delete" : "deleted";
            try
            {
                var count = await pruner.PruneAsync(maxAges, dry, async batch =>
                {
                    foreach (var a in batch)
                    {
                        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{verb}\t{a.Id}\t{a.FirstSeenAt:yyyy-MM-dd'T'HH:mm:ss'Z'}\t{a.Url}\t{a.Title?.ReplaceLineEndings(" ")}"));
                    }
                }, cancellationToken);
                await Console.Out.WriteLineAsync(dry ? $"{count} articles would be deleted" : $"{count} articles deleted");
                return 0;
            }
            catch (Exception e) when (StorageUnavailableException.IsUnavailable(e))
            {
                await Console.Error.WriteLineAsync($"error: PostgreSQL is unreachable: {StorageUnavailableException.Describe(e)}");
                return 1;
            }
        });
        return command;
    }
}
