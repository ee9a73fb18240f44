using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Tests.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.Ingestion.Tests.FullContent;

public sealed class ArticleServerFixture : IAsyncLifetime
{
    private LocalServer? _server;

    public LocalServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await LocalServer.StartAsync(app =>
    {
        var page = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "seeds", "antiwar-article-page.html"));
        app.MapGet("/jason-ditz/2020/09/29/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/",
            () => Results.Bytes(page, "text/html; charset=UTF-8"));
        app.MapGet("/short-link", () => Results.Redirect("/jason-ditz/2020/09/29/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/", permanent: true));
        app.MapGet("/gone", () => Results.StatusCode(410));
    });

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

public sealed partial class FullContentExtractorTests(ArticleServerFixture fixture) : IClassFixture<ArticleServerFixture>
{
    private const string ArticlePath = "jason-ditz/2020/09/29/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/";

    private static FetcherHost Host(params string[] allowlist) => new(
        allowlist.Select((entry, i) => KeyValuePair.Create($"FeedWorker:FullContent:Allowlist:{i}", (string?)entry)).ToDictionary());

    /// <summary>The seed's body: after headline and standfirst, up to the author line.</summary>
    private static List<string> SeedBodyParagraphs()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seeds", "000_76d62e61560ace4b.txt"));
        var paragraphs = BlankLine().Split(text.ReplaceLineEndings("\n")).Select(Normalize).Where(p => p.Length > 0).ToList();
        return paragraphs.Skip(2).TakeWhile(p => !p.StartsWith("Author: Jason Ditz", StringComparison.Ordinal)).ToList();
    }

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    [Fact]
    public async Task Main_content_of_an_allowlisted_article_page_is_exactly_the_body_paragraphs()
    {
        using var host = Host("127.0.0.1");
        var result = await host.Extractor.ExtractAsync(fixture.Server.Url(ArticlePath), null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        var document = new HtmlParser().ParseDocument(result.Html!);
        var paragraphs = document.QuerySelectorAll("p").Select(p => Normalize(p.TextContent)).ToList();
        var expected = SeedBodyParagraphs();
        Assert.Equal(6, expected.Count);
        Assert.Equal(expected, paragraphs);
        Assert.Equal("US Threat to Evacuate Iraq Embassy Raises Fear of War", result.Title);
    }

    [Fact]
    public async Task Redirected_article_reports_the_final_url()
    {
        using var host = Host("127.0.0.1");
        var result = await host.Extractor.ExtractAsync(fixture.Server.Url("short-link"), null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(fixture.Server.Url(ArticlePath), result.FinalUrl);
    }

    [Fact]
    public async Task Loopback_is_refused_without_an_allowlist()
    {
        using var host = Host();
        var url = fixture.Server.Url(ArticlePath);
        var result = await host.Extractor.ExtractAsync(url, null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(FeedErrorKind.Blocked, result.ErrorKind);
        Assert.Contains(url.ToString(), result.Error);
        Assert.Contains("resolves to 127.0.0.1", result.Error);
    }

    [Fact]
    public async Task A_host_name_resolving_to_loopback_is_refused()
    {
        using var host = Host();
        var url = new UriBuilder(fixture.Server.Url(ArticlePath)) { Host = "localhost" }.Uri;
        var result = await host.Extractor.ExtractAsync(url, null, CancellationToken.None);

        Assert.Equal(FeedErrorKind.Blocked, result.ErrorKind);
        Assert.Contains("refused to connect to localhost", result.Error);
    }

    [Fact]
    public async Task Feed_fetches_are_not_subject_to_the_full_content_guard()
    {
        using var host = Host();
        var result = await host.Fetcher.FetchAsync(new FetchRequest(fixture.Server.Url(ArticlePath).ToString()), CancellationToken.None);

        Assert.Equal(FetchOutcome.Fetched, result.Outcome);
    }

    [Fact]
    public async Task Http_failure_is_reported_with_its_kind()
    {
        using var host = Host("127.0.0.1");
        var result = await host.Extractor.ExtractAsync(fixture.Server.Url("gone"), null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(FeedErrorKind.Gone, result.ErrorKind);
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
