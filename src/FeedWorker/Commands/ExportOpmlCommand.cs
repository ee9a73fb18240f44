using System.CommandLine;
using FeedWorker.Configuration;

namespace FeedWorker.Commands;

/// <summary>
/// <c>export-opml</c>: the enabled feeds of the database as OPML 2.0 on stdout, with their names (or
/// fetched titles) and tags as categories, ready for another reader or for <c>FeedWorker:OpmlFiles</c>.
/// </summary>
internal static class ExportOpmlCommand
{
    public static Command Create()
    {
        var command = new Command("export-opml", "Print the enabled feeds as an OPML 2.0 subscription list.");
        command.SetAction(async (_, cancellationToken) =>
        {
            using var host = CommandHost.Build();
            if (await DatabaseRead.FeedsAsync(host, cancellationToken) is not { } feeds) return 1;
            var outlines = feeds
                .Where(f => f.Enabled)
                .Select(f => new OpmlOutline(f.Url, f.Name ?? f.Title, f.SiteUrl, f.Tags));
            await OpmlWriter.WriteAsync(Console.Out, outlines, DateTimeOffset.UtcNow, cancellationToken);
            return 0;
        });
        return command;
    }
}
