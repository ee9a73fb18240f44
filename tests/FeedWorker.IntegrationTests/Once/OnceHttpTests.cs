using FeedWorker.IntegrationTests.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace FeedWorker.IntegrationTests.Once;

/// <summary><c>once</c> over feeds served by Kestrel on 127.0.0.1: conditional GET, gone feeds, moved feeds.</summary>
public sealed class OnceHttpTests : IClassFixture<StorageHost>, IAsyncLifetime
{
    private const string ETag = "\"v1\"";
    private readonly StorageHost _host;
    private readonly FeedFiles _files = new();
    private LocalServer? _server;
    private int _notModifiedAnswers;
    private volatile string _secondFullTitle = "";

    public OnceHttpTests(StorageHost host) => _host = host;

    public async Task InitializeAsync()
    {
        var feed = File.ReadAllText(_files.Write("etag", FeedFiles.Items("etag", 4, firstSeed: 4000)));
        var moved = File.ReadAllText(_files.Write("moved", FeedFiles.Items("moved", 2, firstSeed: 4100)));
        _server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/etag.xml", (HttpContext context) =>
            {
                if (context.Request.Headers.IfNoneMatch.ToString() == ETag)
                {
                    Interlocked.Increment(ref _notModifiedAnswers);
                    return Results.StatusCode(304);
                }
                context.Response.Headers.ETag = ETag;
                return Results.Text(feed, "application/rss+xml");
            });
            app.MapGet("/gone.xml", () => Results.StatusCode(410));
            app.MapGet("/old.xml", () => Results.Redirect("/new.xml", permanent: true));
            app.MapGet("/new.xml", () => Results.Text(moved, "application/rss+xml"));
            app.MapGet("/full.xml", (HttpContext context) =>
            {
                var site = $"http://{context.Request.Host}";
                var items = FeedFiles.Items("full", 2, firstSeed: 4200)
                    .Select((item, i) => item with { Link = $"{site}/articles/{i}.html", Title = i == 1 ? item.Title + _secondFullTitle : item.Title });
                var path = _files.Write("full", items);
                return Results.Text(File.ReadAllText(path), "application/rss+xml");
            });
            app.MapGet("/articles/{n:int}.html", (int n) => Results.Content(ArticlePage(n), "text/html; charset=utf-8"));
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _files.Dispose();
    }

    private string Url(string path) => _server!.Url(path).AbsoluteUri;

    private int PageRequests => _server!.Requests.Count(r => r.Path.StartsWith("/articles/", StringComparison.Ordinal));

    private static string ArticlePage(int n) => $"""
        <!DOCTYPE html><html><head><title>Story {n} | Example News</title></head><body>
        <header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sports">Sports</a></nav></header>
        <main><article><h1>Story {n}</h1>
        <p>Full page paragraph one of story {n}: the council's budget debate ran late into the night, and members argued over the cost of repairing the old river bridge before the winter storms arrive.</p>
        <p>Full page paragraph two of story {n}: teachers from the village school asked for new books and heating, while farmers wanted the harvest road resurfaced before the market season begins again in spring.</p>
        <p>Full page paragraph three of story {n}: the mayor promised a public meeting at the library next week, where residents can question the plan and propose changes before the final vote is held.</p>
        </article></main>
        <footer><p>Copyright Example News. All rights reserved.</p></footer></body></html>
        """;

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await _host.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_304_updates_only_the_feed_state_and_the_validators_are_sent_again()
    {
        var environment = FeedWorkerProcess.Environment(_host.ConnectionString, [Url("etag.xml")]);
        var first = await FeedWorkerProcess.RunAsync(environment, "once");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(ETag, await ScalarAsync<string>("SELECT etag FROM feeds WHERE url LIKE '%/etag.xml'"));
        var before = await _host.RowVersionsAsync();

        var second = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(1, _notModifiedAnswers);
        Assert.Contains("NotModified", second.Stdout);
        Assert.Equal(before, await _host.RowVersionsAsync());
        Assert.Equal(1, await ScalarAsync<int>("SELECT consecutive_not_modified FROM feeds WHERE url LIKE '%/etag.xml' AND last_status = 304"));
    }

    [Fact]
    public async Task Full_content_is_fetched_for_new_items_only_and_stored_instead_of_the_feed_text()
    {
        var environment = FeedWorkerProcess.Environment(_host.ConnectionString, [Url("full.xml")]);
        environment["FeedWorker__Feeds__0__FetchFullContent"] = "true";
        environment["FeedWorker__FullContent__Allowlist__0"] = "127.0.0.1";

        var first = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(2, PageRequests);
        Assert.Equal(2L, await ScalarAsync<long>(
            "SELECT count(*) FROM articles WHERE guid LIKE 'full-%' AND content_text LIKE '%Full page paragraph two of story%' AND content_text NOT LIKE '%All rights reserved%'"));
        var before = await _host.RowVersionsAsync();

        var second = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(2, PageRequests);
        Assert.Equal(before, await _host.RowVersionsAsync());

        // as after an upgrade of the cleaner: the items are cleaned again, to what is stored, so no page is fetched
        await ScalarAsync<long>("WITH u AS (UPDATE feed_articles SET source_fingerprint = NULL RETURNING 1) SELECT count(*) FROM u");
        var third = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(2, PageRequests);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM articles WHERE guid LIKE 'full-%' AND revision <> 1"));

        _secondFullTitle = ", corrected";
        var fourth = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(fourth.ExitCode == 0, fourth.ToString());
        Assert.Equal(2, _server!.RequestCount("/articles/1.html"));
        Assert.Equal(1, _server.RequestCount("/articles/0.html"));
        Assert.Equal(1L, await ScalarAsync<long>(
            "SELECT count(*) FROM articles WHERE guid = 'full-1' AND revision = 2 AND title LIKE '%, corrected' AND content_text LIKE '%Full page paragraph two of story 1%'"));
    }

    [Fact]
    public async Task A_gone_feed_is_disabled_with_the_reason_and_a_moved_feed_remembers_its_new_url()
    {
        var environment = FeedWorkerProcess.Environment(_host.ConnectionString, [Url("gone.xml"), Url("old.xml")]);

        var run = await FeedWorkerProcess.RunAsync(environment, "once", "--feed", Url("gone.xml"), "--feed", Url("old.xml"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM feeds WHERE url LIKE '%/gone.xml' AND NOT enabled AND disabled_reason IS NOT NULL AND last_status = 410"));
        Assert.Equal(Url("new.xml"), await ScalarAsync<string>("SELECT redirected_to FROM feeds WHERE url LIKE '%/old.xml'"));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM articles WHERE guid LIKE 'moved-%'"));
    }
}
