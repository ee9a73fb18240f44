using System.CommandLine;
using System.Globalization;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;

namespace FeedWorker.Commands;

/// <summary>
/// <c>history &lt;article-id&gt;</c>: each revision of an article, oldest first, its title and text as
/// a word diff against the revision before: <c>[-removed-]</c> and <c>{+added+}</c>, coloured at a
/// terminal, with long unchanged stretches elided.
/// </summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var articleId = new Argument<long>("article-id") { Description = "The article's id (articles.id)." };
        var command = new Command("history", "Print an article's revisions with word diffs of title and text.") { articleId };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var host = CommandHost.Build();
            if (!await DatabaseStep.MigrateAsync(host, cancellationToken)) return 1;
            var id = parsed.GetValue(articleId);
            ArticleHistory? history;
            try
            {
                history = await new ArticleHistoryReader(host.Services.GetRequiredService<NpgsqlDataSource>()).ReadAsync(id, cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                await Console.Error.WriteLineAsync($"error: database: {StorageUnavailableException.Describe(e)}");
                return 1;
            }
            if (history is null)
            {
                await Console.Error.WriteLineAsync($"error: there is no article {id}");
                return 1;
            }
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            if (Console.IsOutputRedirected)
            {
                // no wrapping when read by a program
                console.Profile.Width = 100_000;
            }
            Render(console, history);
            await Console.Out.FlushAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    internal static void Render(IAnsiConsole console, ArticleHistory history)
    {
        console.MarkupLine($"[bold]Article {history.Id}[/]: {Markup.Escape(history.Url ?? "(no link)")}, {history.Versions.Count} revision(s)");
        ArticleVersion? previous = null;
        foreach (var version in history.Versions)
        {
            var when = version.ReplacedAt is { } replaced
                ? "replaced " + replaced.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : "current";
            console.WriteLine();
            console.MarkupLine($"[bold]Revision {version.Revision}[/] ({when})");
            if (previous is null)
            {
                console.MarkupLine($"{Label("title")}{Markup.Escape(version.Title ?? "")}");
                console.MarkupLine($"{Label("text")}{Markup.Escape(version.ContentText ?? "")}");
            }
            else
            {
                Line(console, "title", previous.Title, version.Title);
                if (previous.Summary != version.Summary) Line(console, "summary", previous.Summary, version.Summary);
                Line(console, "text", previous.ContentText, version.ContentText);
            }
            previous = version;
        }
    }

    private static string Label(string field) => $"  {field}: ";

    private static void Line(IAnsiConsole console, string field, string? before, string? after)
    {
        var label = Label(field);
        if (before == after)
        {
            console.MarkupLine($"{label}[dim](unchanged)[/]");
            return;
        }
        var segments = WordDiff.AroundChanges(WordDiff.Compare(before, after));
        var markup = string.Concat(segments.Select(s => s.Kind switch
        {
            DiffKind.Deleted => $"[red]{Markup.Escape("[-" + s.Text + "-]")}[/]",
            DiffKind.Inserted => $"[green]{Markup.Escape("{+" + s.Text + "+}")}[/]",
            _ => Markup.Escape(s.Text),
        }));
        console.MarkupLine(label + markup);
    }
}
