using System.CommandLine;
using System.Globalization;
using FeedWorker.Configuration;
using FeedWorker.Refresh;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FeedWorker.Commands;

/// <summary>
/// <c>once [--feed URL-or-path]...</c>: migrate, sync the configured feeds, refresh every enabled feed
/// (or only the named ones) once, concurrently, and print a summary table. Exit 1 when the
/// configuration is invalid or the database is unreachable; feeds that failed are listed but do not
/// change the exit code.
/// </summary>
internal static class OnceCommand
{
    public static Command Create()
    {
        var feedsOption = new Option<string[]>("--feed")
        {
            Description = "Refresh only this feed (URL or path; repeatable). A feed that is not configured is added ad hoc.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("once", "Refresh every enabled feed once, store the articles and print a summary.") { feedsOption };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var host = CommandHost.Build();
            if (!StartupChecks.ValidConfiguration(host)) return 1;
            if (!await DatabaseStep.MigrateAsync(host, cancellationToken)) return 1;

            IReadOnlyList<FeedSubscription> feeds;
            try
            {
                feeds = await SelectFeedsAsync(host, parsed.GetValue(feedsOption) ?? [], cancellationToken);
            }
            catch (Exception e) when (StorageUnavailableException.IsUnavailable(e))
            {
                await Console.Error.WriteLineAsync($"error: PostgreSQL is unreachable: {StorageUnavailableException.Describe(e)}");
                return 1;
            }
            catch (Npgsql.NpgsqlException e)
            {
                await Console.Error.WriteLineAsync($"error: database: {StorageUnavailableException.Describe(e)}");
                return 1;
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }

            var refresher = host.Services.GetRequiredService<FeedRefresher>();
            var outcomes = new FeedRefreshOutcome[feeds.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, feeds.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 4, CancellationToken = cancellationToken },
                async (i, ct) => outcomes[i] = await refresher.RefreshAsync(feeds[i], ct));

            await SummaryTable.WriteAsync(Console.Out, outcomes);
            if (outcomes.FirstOrDefault(o => o.StorageUnavailable) is { } down)
            {
                await Console.Error.WriteLineAsync($"error: {down.Error}; rerun to complete the work (nothing was half-written)");
                return 1;
            }
            return 0;
        });
        return command;
    }

    private static async Task<IReadOnlyList<FeedSubscription>> SelectFeedsAsync(IHost host, string[] requested, CancellationToken cancellationToken)
    {
        var store = host.Services.GetRequiredService<FeedStore>();
        await store.SyncAsync(host.Services.GetRequiredService<ConfiguredFeeds>().All, cancellationToken);
        if (requested.Length == 0)
        {
            return await store.ListEnabledAsync(cancellationToken);
        }
        var selected = new List<FeedSubscription>();
        foreach (var location in requested.Distinct())
        {
            var url = ConfiguredFeeds.ResolveCommandLine(location)
                ?? throw new ArgumentException($"--feed '{location}' is not an absolute http(s) URL or file path");
            if (FeedUrls.Refusal(url) is { } refusal)
            {
                throw new ArgumentException($"--feed {refusal}");
            }
            selected.Add(await store.EnsureAsync(url, cancellationToken));
        }
        return selected.DistinctBy(f => f.Id).ToList();
    }
}

/// <summary>The per-feed table <c>once</c> prints on stdout.</summary>
internal static class SummaryTable
{
    private static readonly string[] Headers = ["Feed", "Status", "New", "Updated", "Unchanged", "Duplicates", "Near", "Filtered", "Error"];

    public static async Task WriteAsync(TextWriter output, IReadOnlyList<FeedRefreshOutcome> outcomes)
    {
        var rows = outcomes.Select(o => Row(o.FeedUrl, o.Status.ToString(), o.Stored, o.Filtered, FeedErrorText.WithoutFeedUrl(o.Error ?? "", o.FeedUrl))).ToList();
        var total = outcomes.Aggregate(StoreResult.Empty, (sum, o) => sum.Add(o.Stored));
        var failed = outcomes.Count(o => o.Status == FeedRefreshStatus.Failed);
        rows.Add(Row($"TOTAL ({outcomes.Count} feeds)", failed == 0 ? "ok" : $"{failed} failed", total, outcomes.Sum(o => o.Filtered), ""));
        // a long path keeps its end (the file name), so the numbers stay in their columns
        foreach (var row in rows) row[0] = KeepEnd(row[0], MaxFeedWidth);
        var widths = Headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        await output.WriteLineAsync(Format(Headers, widths));
        await output.WriteLineAsync(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows) await output.WriteLineAsync(Format(row, widths));
        await output.FlushAsync();
    }

    private static string[] Row(string feed, string status, StoreResult s, int filtered, string error) =>
    [
        feed, status, Number(s.New), Number(s.Updated), Number(s.Unchanged), Number(s.Duplicates), Number(s.NearDuplicates), Number(filtered),
        error.ReplaceLineEndings(" "),
    ];

    private const int MaxFeedWidth = 60;

    private static string KeepEnd(string text, int width) => text.Length <= width ? text : "…" + text[^(width - 1)..];

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i is >= 2 and <= 7 ? c.PadLeft(widths[i]) : c.PadRight(i == cells.Length - 1 ? 0 : widths[i]))).TrimEnd();
}
