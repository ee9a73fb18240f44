using System.CommandLine;
using System.Globalization;
using FeedWorker.Storage;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FeedWorker.Commands;

/// <summary>
/// <c>feeds</c>: every feed with its state (enabled or why not, last success, next fetch, errors,
/// articles stored, warnings of the last successful fetch). A terminal gets a drawn table; redirected output gets the same table without
/// colour and without wrapping, so scripts and tests can read one line per feed.
/// </summary>
internal static class FeedsCommand
{
    public static Command Create()
    {
        var command = new Command("feeds", "List every feed with its state, errors and article count.");
        command.SetAction(async (_, cancellationToken) =>
        {
            using var host = CommandHost.Build();
            if (await DatabaseRead.FeedsAsync(host, cancellationToken) is not { } feeds) return 1;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            if (Console.IsOutputRedirected)
            {
                // Spectre assumes 80 columns when there is no terminal and would wrap long URLs and errors
                console.Profile.Width = 100_000;
            }
            console.Write(Render(feeds));
            console.WriteLine($"{feeds.Count} feed(s), {feeds.Count(f => f.Enabled)} enabled, {feeds.Count(f => f.ErrorCount > 0)} failing, {feeds.Count(f => f.WarningCount > 0)} with warnings");
            await Console.Out.FlushAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    internal static Table Render(IReadOnlyList<FeedStatus> feeds)
    {
        var table = new Table().AddColumns("Id", "Feed", "Enabled", "Last success", "Next fetch", "Errors", "Last error", "Warnings", "Last warning", "Articles");
        table.Columns[0].RightAligned();
        table.Columns[5].RightAligned();
        table.Columns[7].RightAligned();
        table.Columns[9].RightAligned();
        foreach (var feed in feeds)
        {
            table.AddRow(
                Cell(feed.Id.ToString(CultureInfo.InvariantCulture)),
                Cell(feed.Name is { } name ? $"{name} <{feed.Url}>" : feed.Url),
                Cell(feed.Enabled ? "yes" : $"no: {feed.DisabledReason ?? "disabled"}", feed.Enabled ? Style.Plain : new Style(Color.Yellow)),
                Cell(Time(feed.LastSuccessAt)),
                Cell(feed.Enabled ? Time(feed.NextFetchAt) : ""),
                Cell(feed.ErrorCount.ToString(CultureInfo.InvariantCulture), feed.ErrorCount > 0 ? new Style(Color.Red) : Style.Plain),
                Cell(feed.LastError?.ReplaceLineEndings(" ") ?? ""),
                Cell(feed.WarningCount.ToString(CultureInfo.InvariantCulture), feed.WarningCount > 0 ? new Style(Color.Yellow) : Style.Plain),
                Cell(feed.LastWarning?.ReplaceLineEndings(" ") ?? ""),
                Cell(feed.ArticleCount.ToString(CultureInfo.InvariantCulture)));
        }
        return table;
    }

    // Text, not Markup: URLs and errors may contain [brackets]
    private static IRenderable Cell(string text, Style? style = null) => new Text(text, style ?? Style.Plain);

    private static string Time(DateTime? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
