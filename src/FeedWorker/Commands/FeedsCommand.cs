using System.CommandLine;
using System.Globalization;
using FeedWorker.Refresh;
using FeedWorker.Storage;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FeedWorker.Commands;

/// <summary>
/// <c>feeds [--wide]</c>: every feed with its state (enabled or why not, last success, next fetch,
/// errors, articles stored, warnings of the last successful fetch). By default a compact table, one
/// line per feed cut to the terminal's width (120 columns when redirected); <c>--wide</c> prints every
/// column in full, and when redirected one unwrapped line per feed, so scripts can read whole URLs
/// and errors.
/// </summary>
internal static class FeedsCommand
{
    public static Command Create()
    {
        var wideOption = new Option<bool>("--wide") { Description = "Every column in full: URLs, next fetch, whole errors." };
        var command = new Command("feeds", "List every feed with its state, errors and article count.") { wideOption };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var host = CommandHost.Build();
            if (await DatabaseRead.FeedsAsync(host, cancellationToken) is not { } feeds) return 1;
            var wide = parsed.GetValue(wideOption);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            if (Console.IsOutputRedirected)
            {
                // Spectre assumes 80 columns when there is no terminal and would wrap long URLs and errors
                console.Profile.Width = wide ? 100_000 : CompactWidth;
            }
            console.Write(wide ? Render(feeds) : RenderCompact(feeds, console.Profile.Width));
            console.WriteLine($"{feeds.Count} feed(s), {feeds.Count(f => f.Enabled)} enabled, {feeds.Count(f => f.ErrorCount > 0)} failing, {feeds.Count(f => f.WarningCount > 0)} with warnings");
            await Console.Out.FlushAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    internal static Table Render(IReadOnlyList<FeedStatus> feeds)
    {
        var table = new Table().AddColumns("Id", "Feed", "Enabled", "Last success", "Next fetch", "Errors", "Last error", "Articles", "Warnings", "Last warning");
        table.Columns[0].RightAligned();
        table.Columns[5].RightAligned();
        table.Columns[7].RightAligned();
        table.Columns[8].RightAligned();
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
                Cell(feed.ArticleCount.ToString(CultureInfo.InvariantCulture)),
                Cell(feed.WarningCount.ToString(CultureInfo.InvariantCulture), feed.WarningCount > 0 ? new Style(Color.Yellow) : Style.Plain),
                Cell(feed.LastWarning?.ReplaceLineEndings(" ") ?? ""));
        }
        return table;
    }

    private const int CompactWidth = 120;

    /// <summary>
    /// One line per feed: the name (or URL), state, last success, counts and the error. Cells are cut
    /// here, with an ellipsis, to widths that fit <paramref name="width"/>: Spectre would wrap them.
    /// </summary>
    internal static Table RenderCompact(IReadOnlyList<FeedStatus> feeds, int width)
    {
        string[] headers = ["Id", "Feed", "Enabled", "Last success", "Errors", "Articles", "Last error"];
        var table = new Table().Border(TableBorder.None).AddColumns(headers);
        foreach (var column in table.Columns) column.NoWrap().PadLeft(0).PadRight(2);
        table.Columns[0].RightAligned();
        table.Columns[4].RightAligned();
        table.Columns[5].RightAligned();
        var rows = feeds.Select(feed => new[]
        {
            feed.Id.ToString(CultureInfo.InvariantCulture),
            feed.Name is { } name ? Cut(name, 32) : CutMiddle(feed.Url, 32),
            Cut(feed.Enabled ? "yes" : $"no: {feed.DisabledReason ?? "disabled"}", 32),
            feed.LastSuccessAt?.ToUniversalTime().ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-",
            feed.ErrorCount.ToString(CultureInfo.InvariantCulture),
            feed.ArticleCount.ToString(CultureInfo.InvariantCulture),
            FeedErrorText.WithoutFeedUrl(feed.LastError?.ReplaceLineEndings(" ") ?? "", feed.Url),
        }).ToList();
        // what the first six columns take (with their padding) is left for the error
        var used = Enumerable.Range(0, 6).Sum(i => rows.Select(r => r[i].Length).Append(headers[i].Length).Max() + 2);
        foreach (var (row, feed) in rows.Zip(feeds))
        {
            table.AddRow(
                Cell(row[0]),
                Cell(row[1]),
                Cell(row[2], feed.Enabled ? Style.Plain : new Style(Color.Yellow)),
                Cell(row[3]),
                Cell(row[4], feed.ErrorCount > 0 ? new Style(Color.Red) : Style.Plain),
                Cell(row[5]),
                Cell(Cut(row[6], Math.Max(10, width - used - 4))));
        }
        return table;
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    // a URL keeps its scheme and host and its last segment (the file name of a path)
    private static string CutMiddle(string text, int width) =>
        text.Length <= width ? text : text[..(width / 2)] + "…" + text[^(width - width / 2 - 1)..];

    // Text, not Markup: URLs and errors may contain [brackets]
    private static IRenderable Cell(string text, Style? style = null) => new Text(text, style ?? Style.Plain);

    private static string Time(DateTime? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
