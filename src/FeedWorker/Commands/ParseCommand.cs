using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using FeedWorker.Ingestion;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Parsing;
using Microsoft.Extensions.DependencyInjection;

namespace FeedWorker.Commands;

/// <summary>
/// <c>parse [--base-url URL] &lt;file-or-url&gt;...</c>: one JSON object per input on stdout, in input
/// order. A contract other tools depend on: fields may be added, never renamed.
/// </summary>
internal static class ParseCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var baseUrl = new Option<Uri?>("--base-url")
        {
            Description = "The document URL for file inputs (default: the file's own file:// URL).",
            CustomParser = r => Uri.TryCreate(r.Tokens[0].Value, UriKind.Absolute, out var u) ? u : ReportBadUrl(r),
        };
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "Feed files, file:// URLs or http(s) URLs.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("parse", "Parse and clean feeds and print them as JSON Lines; no database.") { baseUrl, inputs };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var host = CommandHost.Build();
            var fetcher = host.Services.GetRequiredService<IFeedFetcher>();
            var processor = host.Services.GetRequiredService<FeedDocumentProcessor>();
            var stdout = Console.Out;
            var sources = parsed.GetRequiredValue(inputs);
            // Inputs are independent: parse them in parallel, print in input order as each becomes ready.
            var lines = sources.Select(_ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var work = Parallel.ForEachAsync(
                Enumerable.Range(0, sources.Length),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    ParseOutput line;
                    try
                    {
                        line = await ParseOneAsync(sources[index], parsed.GetValue(baseUrl), fetcher, processor, token);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        line = ParseOutput.Failed(sources[index], $"{sources[index]}: {e.Message}", []);
                    }
                    lines[index].SetResult(JsonSerializer.Serialize(line, JsonOptions));
                });
            foreach (var line in lines)
            {
                await stdout.WriteLineAsync(await line.Task.WaitAsync(cancellationToken));
            }
            await work;
            await stdout.FlushAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static Uri? ReportBadUrl(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError($"--base-url must be an absolute URL, not '{result.Tokens[0].Value}'.");
        return null;
    }

    private static async Task<ParseOutput> ParseOneAsync(
        string input, Uri? baseUrl, IFeedFetcher fetcher, FeedDocumentProcessor processor, CancellationToken cancellationToken)
    {
        var fetched = await fetcher.FetchAsync(new FetchRequest(input), cancellationToken);
        if (fetched.Outcome != FetchOutcome.Fetched)
        {
            // the fetcher's errors already name the URL
            return ParseOutput.Failed(input, fetched.Error ?? $"{input}: {fetched.Outcome}", []);
        }
        var documentUrl = fetched.FinalUrl.IsFile && baseUrl is not null ? baseUrl : fetched.FinalUrl;
        var result = processor.Process(new FeedDocument(fetched.Body, fetched.ContentType, documentUrl));
        return result.Feed is { } feed
            ? new ParseOutput(input, true, null, FeedOutput.From(feed), result.Warnings)
            : ParseOutput.Failed(input, $"{input}: {result.Error}", result.Warnings);
    }

    private sealed record ParseOutput(string Source, bool Ok, string? Error, FeedOutput? Feed, IReadOnlyList<string> Warnings)
    {
        public static ParseOutput Failed(string source, string error, IReadOnlyList<string> warnings) => new(source, false, error, null, warnings);
    }

    private sealed record FeedOutput(
        string Format, string? Title, string? Link, string? Description, string? Language, string? Updated,
        IReadOnlyList<ArticleOutput> Articles)
    {
        public static FeedOutput From(ParsedFeed feed) => new(
            FormatName(feed.Format), feed.Title, feed.Link, feed.Description, feed.Language, IsoUtc(feed.Updated),
            feed.Articles.Select(ArticleOutput.From).ToList());
    }

    private sealed record ArticleOutput(
        string? Guid, string? Url, string? Title, string? Author, string? Published, string? Updated, string? Summary,
        string? ContentHtml, string? ContentText, IReadOnlyList<string> Categories, IReadOnlyList<ArticleEnclosure> Enclosures)
    {
        public static ArticleOutput From(ParsedArticle a) => new(
            a.Guid, a.Url, a.Title, a.Author, IsoUtc(a.Published), IsoUtc(a.Updated), a.Summary,
            a.ContentHtml, a.ContentText, a.Categories, a.Enclosures);
    }

    private static string? IsoUtc(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string FormatName(FeedFormat format) => format switch
    {
        FeedFormat.Rss20 => "rss20",
        FeedFormat.Rss10 => "rss10",
        FeedFormat.Rss09x => "rss09x",
        FeedFormat.Atom10 => "atom10",
        FeedFormat.Atom03 => "atom03",
        FeedFormat.JsonFeed => "jsonfeed",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
