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
        var username = new Option<string?>("--username") { Description = "HTTP basic-auth user name, sent to each input URL's own origin only." };
        var password = new Option<string?>("--password") { Description = "HTTP basic-auth password (never printed)." };
        var headers = new Option<string[]>("--header")
        {
            Description = "A request header 'Name: value' for each input URL's own origin (repeatable), e.g. a User-Agent or Cookie.",
            AllowMultipleArgumentsPerToken = false,
        };
        var proxy = new Option<Uri?>("--proxy")
        {
            Description = "http, https or socks5 proxy URL for the requests.",
            CustomParser = r => Uri.TryCreate(r.Tokens[0].Value, UriKind.Absolute, out var u) && FeedRequestOptions.IsSupportedProxy(u) ? u : ReportBadProxy(r),
        };
        var command = new Command("parse", "Parse and clean feeds and print them as JSON Lines; no database.") { baseUrl, username, password, headers, proxy, inputs };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var host = CommandHost.Build();
            var fetcher = host.Services.GetRequiredService<FeedFetcher>();
            var processor = host.Services.GetRequiredService<FeedDocumentProcessor>();
            var sources = parsed.GetRequiredValue(inputs);
            var requestHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in parsed.GetValue(headers) ?? [])
            {
                var colon = header.IndexOf(':');
                if (colon <= 0)
                {
                    await Console.Error.WriteLineAsync($"error: --header '{header[..Math.Max(colon, 0)]}...' is not 'Name: value'");
                    return 2;
                }
                requestHeaders[header[..colon].Trim()] = header[(colon + 1)..].Trim();
            }
            var request = new RequestSettings(parsed.GetValue(username), parsed.GetValue(password), requestHeaders, parsed.GetValue(proxy));
            // Inputs are independent: one per core runs at once (parse and clean take one core each) and one more is
            // read ahead; lines are printed in input order. Only that window is held, so memory stays flat whatever the
            // number of inputs; a wider one kept the cores no busier and carried more documents through collections.
            // Lines go out as the UTF-8 the serializer writes, through one buffer: Console.Out would turn each line
            // into a string and back, and flush it in small pieces.
            var window = new Queue<Task<byte[]>>();
            var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
            await using (stdout.ConfigureAwait(false))
            {
                foreach (var source in sources)
                {
                    if (window.Count == Environment.ProcessorCount + 1)
                    {
                        await WriteLineAsync(stdout, await window.Dequeue(), cancellationToken);
                    }
                    window.Enqueue(RenderAsync(source, parsed.GetValue(baseUrl), request, fetcher, processor, cancellationToken));
                }
                while (window.Count > 0)
                {
                    await WriteLineAsync(stdout, await window.Dequeue(), cancellationToken);
                }
            }
            return 0;
        });
        return command;
    }

    private static async Task WriteLineAsync(Stream stdout, byte[] json, CancellationToken cancellationToken)
    {
        await stdout.WriteAsync(json, cancellationToken);
        stdout.WriteByte((byte)'\n');
    }

    private static Uri? ReportBadUrl(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError($"--base-url must be an absolute URL, not '{result.Tokens[0].Value}'.");
        return null;
    }

    private static Uri? ReportBadProxy(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError($"--proxy must be an http, https or socks5 URL, not '{UrlUserInfo.Strip(result.Tokens[0].Value)}'.");
        return null;
    }

    /// <summary>What <c>--username</c>, <c>--password</c>, <c>--header</c> and <c>--proxy</c> set, for each input's own origin.</summary>
    private sealed record RequestSettings(string? Username, string? Password, IReadOnlyDictionary<string, string> Headers, Uri? Proxy)
    {
        public FeedRequestOptions? For(string input) =>
            (Username ?? Password ?? Proxy?.ToString()) is null && Headers.Count == 0
            || !Uri.TryCreate(input, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                ? null
                : new FeedRequestOptions { Origin = UrlUserInfo.Strip(url), Username = Username, Password = Password, Headers = Headers, Proxy = Proxy };

        // secrets stay out of any printed form
        public override string ToString() => "RequestSettings";
    }

    private static async Task<byte[]> RenderAsync(
        string source, Uri? baseUrl, RequestSettings request, FeedFetcher fetcher, FeedDocumentProcessor processor, CancellationToken cancellationToken)
    {
        // off the printing loop: a file read completes synchronously, and the first inputs would otherwise run one by one
        await Task.Yield();
        ParseOutput line;
        try
        {
            line = await ParseOneAsync(source, baseUrl, request, fetcher, processor, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var input = UrlUserInfo.Strip(source);
            line = ParseOutput.Failed(input, $"{input}: {e.Message}", []);
        }
        return JsonSerializer.SerializeToUtf8Bytes(line, JsonOptions);
    }

    private static async Task<ParseOutput> ParseOneAsync(
        string given, Uri? baseUrl, RequestSettings request, FeedFetcher fetcher, FeedDocumentProcessor processor, CancellationToken cancellationToken)
    {
        var input = UrlUserInfo.Strip(given);
        var fetched = await fetcher.FetchAsync(new FetchRequest(given, Options: request.For(given)), cancellationToken);
        if (fetched.Outcome != FetchOutcome.Fetched)
        {
            // the fetcher's errors already name the URL
            return ParseOutput.Failed(input, fetched.Error ?? $"{input}: {fetched.Outcome}", []);
        }
        var documentUrl = fetched.FinalUrl.IsFile && baseUrl is not null ? baseUrl : fetched.FinalUrl;
        var result = await processor.ProcessAsync(new FeedDocument(fetched.Body, fetched.ContentType, documentUrl), cancellationToken);
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
