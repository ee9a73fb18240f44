using System.Text.Json;
using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Xunit.Abstractions;

namespace FeedWorker.IntegrationTests.Security;

/// <summary>
/// Hostile feeds through every command that touches the database (<c>once</c>; <c>run</c> with its
/// feed-list sync and Quartz job store; <c>health</c>, <c>feeds</c>, <c>export-opml</c>), against a
/// PostgreSQL that logs every statement. Runs once for the class; each test reads its own part.
/// </summary>
public sealed class HostileFeedsRun : IAsyncLifetime
{
    /// <summary>The worker's application_name, to tell its statements from the test's own in the log.</summary>
    public const string WorkerApplication = "feedworker-sqlcheck";
    public const int ItemsPerFeed = 3;

    private readonly PrivateCluster _cluster = new(StatementLog.Settings);
    private LocalServer? _server;

    public HostileFeeds Feeds { get; } = new();
    public string ConnectionString => _cluster.ConnectionString;
    /// <summary>Feed A goes through <c>once</c>; feed B, added later, through <c>run</c>'s sync and a Quartz job.</summary>
    public string UrlA { get; private set; } = "";
    public string UrlB { get; private set; } = "";
    public ProcessResult Once { get; private set; } = null!;
    public ProcessResult Health { get; private set; } = null!;
    public ProcessResult FeedsCommand { get; private set; } = null!;
    public ProcessResult ExportOpml { get; private set; } = null!;
    /// <summary><c>parse</c> over both feed URLs: the product's own reading of the feeds, as JSON Lines.</summary>
    public ProcessResult Parse { get; private set; } = null!;
    public string RunOutput { get; private set; } = "";
    public IReadOnlyList<LogEntry> Log { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync();
        var rssA = Feeds.Rss("a", ItemsPerFeed, seed: 7100);
        var rssB = Feeds.Rss("b", ItemsPerFeed, seed: 7200);
        var pathA = $"/feeds/o'brien-{Feeds.Token("a.url")}.xml";
        var pathB = $"/feeds/o'brien-{Feeds.Token("b.url")}.xml";
        _server = await LocalServer.StartAsync(app => app.MapGet("/feeds/{name}", (HttpRequest request) =>
            request.Path == pathA ? Results.Text(rssA, "application/rss+xml")
            : request.Path == pathB ? Results.Text(rssB, "application/rss+xml")
            : Results.NotFound()));
        // a query no server needs, only there to be stored as part of the feed's URL
        UrlA = $"http://{_server.BaseUrl.Authority}{pathA}?q=');DROP--TABLE--feeds;--&p=$1";
        UrlB = $"http://{_server.BaseUrl.Authority}{pathB}?q=');DROP--TABLE--feeds;--&p=$1";

        var workerDatabase = _cluster.ConnectionString + $";Application Name={WorkerApplication}";
        var onceEnvironment = Environment(workerDatabase, [UrlA], replica: "once");
        Once = Succeeded(await FeedWorkerProcess.RunAsync(onceEnvironment, "once"));

        var runEnvironment = Environment(workerDatabase, [UrlA, UrlB], replica: "run");
        await using (var worker = RunningWorker.Start(runEnvironment))
        {
            await worker.WaitUntilStartedAsync();
            await Cluster.WaitUntilAsync(async () => await ScalarAsync("SELECT count(*) FROM feeds WHERE last_success_at IS NOT NULL") == 2,
                TimeSpan.FromSeconds(60), "the scheduler has stored feed B");
            // a fresh heartbeat needs a running scheduler
            Health = Succeeded(await FeedWorkerProcess.RunAsync(runEnvironment, "health"));
            await worker.StopAsync();
            RunOutput = worker.Output;
        }
        FeedsCommand = Succeeded(await FeedWorkerProcess.RunAsync(runEnvironment, "feeds", "--wide")); // every field in full
        ExportOpml = Succeeded(await FeedWorkerProcess.RunAsync(runEnvironment, "export-opml"));
        Parse = Succeeded(await FeedWorkerProcess.RunAsync(new Dictionary<string, string>(), "parse", UrlA, UrlB));
        Log = await StatementLog.ReadAsync(_cluster.LogFile);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    /// <summary>The scheduling tests' short intervals, and every configured (not fetched) field hostile too: name and tag.</summary>
    private Dictionary<string, string> Environment(string connectionString, IReadOnlyList<string> urls, string replica)
    {
        var environment = Cluster.Environment(connectionString, urls, replica);
        foreach (var (feed, i) in new[] { ("a", 0), ("b", 1) }.Take(urls.Count))
        {
            // the same values on every run, or the sync would (rightly) rewrite them
            environment[$"FeedWorker__Feeds__{i}__Name"] = NameOf(feed);
            environment[$"FeedWorker__Feeds__{i}__Tags__0"] = TagOf(feed);
        }
        return environment;
    }

    public string NameOf(string feed) => $"{HostileFeeds.Hostile} {TokenFor($"{feed}.name")}";

    public string TagOf(string feed) => $"{HostileFeeds.Hostile} {TokenFor($"{feed}.tag")}";

    private string TokenFor(string field) => Feeds.Tokens.TryGetValue(field, out var token) ? token : Feeds.Token(field);

    private static ProcessResult Succeeded(ProcessResult result) =>
        result.ExitCode == 0 ? result : throw new InvalidOperationException(result.ToString());

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// The behavioural half of "every SQL statement is parameterized": feed data reaches PostgreSQL only
/// as bound values, never as SQL text, and comes back unchanged. The static half is <see cref="RawSqlStaticTests"/>.
/// </summary>
[Collection(WorkerProcessCollection.Name)]
public sealed class SqlParameterizationTests(HostileFeedsRun run, ITestOutputHelper output) : IClassFixture<HostileFeedsRun>
{
    // what the product does not store: the channel's description (parse shows it; no column holds it)
    private static readonly string[] NotStored = ["a.description", "b.description"];

    private IEnumerable<KeyValuePair<string, string>> StoredTokens => run.Feeds.Tokens.Where(t => !NotStored.Contains(t.Key));

    [Fact]
    public async Task Every_hostile_value_is_stored_as_parse_reads_it_and_every_table_is_intact()
    {
        var parsed = run.Parse.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, parsed.Count);
        var articles = await ReadArticlesAsync();

        Assert.Equal(2 * HostileFeedsRun.ItemsPerFeed, articles.Count);
        foreach (var feed in parsed)
        {
            Assert.True(feed.GetProperty("ok").GetBoolean(), feed.ToString());
            foreach (var expected in feed.GetProperty("feed").GetProperty("articles").EnumerateArray())
            {
                var guid = expected.GetProperty("guid").GetString()!;
                Assert.Contains(HostileFeeds.Hostile, guid, StringComparison.Ordinal);
                var stored = articles[guid];
                foreach (var field in new[] { "url", "title", "author", "summary", "contentHtml", "contentText" })
                {
                    Assert.Equal(expected.GetProperty(field).GetString(), stored[field]?.GetString());
                }
                Assert.Equal(Strings(expected.GetProperty("categories")), Strings(stored["categories"]!.Value));
                Assert.Equal(expected.GetProperty("enclosures").EnumerateArray().Select(e => e.GetProperty("url").GetString()),
                    stored["enclosures"]!.Value.EnumerateArray().Select(e => e.GetProperty("url").GetString()));
            }
        }

        var feeds = await ReadFeedsAsync();
        Assert.Equal(2, feeds.Count);
        foreach (var (name, url, parsedFeed) in new[] { ("a", run.UrlA, parsed[0]), ("b", run.UrlB, parsed[1]) })
        {
            var row = Assert.Single(feeds, f => f.Url.Contains(run.Feeds.Tokens[$"{name}.url"], StringComparison.Ordinal));
            Assert.Equal(new Uri(url).AbsoluteUri, row.Url);
            Assert.Equal(run.NameOf(name), row.Name);
            Assert.Equal([run.TagOf(name)], row.Tags);
            Assert.Equal(parsedFeed.GetProperty("feed").GetProperty("title").GetString(), row.Title);
            Assert.Equal(parsedFeed.GetProperty("feed").GetProperty("link").GetString(), row.SiteUrl);
        }

        // every marker made it to a column, and nothing was dropped or deleted along the way
        var everything = await DumpAsync();
        Assert.All(StoredTokens, t => Assert.True(everything.Contains(t.Value, StringComparison.Ordinal), $"{t.Key} ({t.Value}) is not stored"));
        Assert.Equal(2 * HostileFeedsRun.ItemsPerFeed, await run.ScalarAsync("SELECT count(*) FROM feed_articles"));
        // feeds are claimed from their rows; the job store holds the cluster's maintenance jobs only (lapsed claims, retention)
        Assert.Equal(2, await run.ScalarAsync("SELECT count(*) FROM quartz.qrtz_job_details"));
    }

    [Fact]
    public void The_server_log_shows_feed_data_only_as_bound_parameters_never_in_SQL_text()
    {
        var statements = run.Log.Where(e => e.IsStatement && e.Application == HostileFeedsRun.WorkerApplication).ToList();
        var parameters = run.Log.Where(e => e.IsBoundParameters).ToList();

        // the log covers every path: the write path, the feed-list sync, the scheduler's job store, the reports
        foreach (var sql in new[] { "INSERT INTO articles", "INSERT INTO feeds", "UPDATE feeds", "qrtz_job_details", "qrtz_triggers", "qrtz_scheduler_state", "FROM feed_articles" })
        {
            Assert.Contains(statements, s => s.Message.Contains(sql, StringComparison.Ordinal));
        }
        // no marker, hostile fragment or escaped form of one in any SQL text, error or other message
        var leaks = run.Log.Where(e => !e.IsBoundParameters)
            .Where(e => run.Feeds.Tokens.Values.Any(t => e.Message.Contains(t, StringComparison.Ordinal))
                        || e.Message.Contains("O'Brien", StringComparison.Ordinal) || e.Message.Contains("O''Brien", StringComparison.Ordinal)
                        // the hostile fragments' forms: a migration's own DDL (DROP EXPRESSION) is not feed data
                        || e.Message.Contains("DROP TABLE", StringComparison.Ordinal) || e.Message.Contains("DROP--TABLE", StringComparison.Ordinal))
            .ToList();
        Assert.True(leaks.Count == 0, "feed data outside bound parameters:\n" + string.Join("\n", leaks.Take(5)));
        // and the values did travel, as parameters: the log is not simply silent about them
        Assert.All(StoredTokens, t => Assert.True(parameters.Any(p => p.Message.Contains(t.Value, StringComparison.Ordinal)),
            $"{t.Key} ({t.Value}) never appears as a bound parameter"));
        Assert.True(statements.Count > 50, $"only {statements.Count} statements logged");
        output.WriteLine($"{statements.Count} statements by the worker, {parameters.Count} bound-parameter lines, {run.Log.Count} log messages; " +
            $"{run.Feeds.Tokens.Count} markers checked, {StoredTokens.Count()} of them found as bound parameters");
        // no statement failed, save EF Core's look for its history table in a fresh database
        var errors = run.Log.Where(e => e.Application == HostileFeedsRun.WorkerApplication && e.Message.StartsWith("ERROR:", StringComparison.Ordinal)
            && !e.Message.Contains("relation \"__EFMigrationsHistory\" does not exist", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void The_scheduler_and_the_reporting_commands_handle_the_hostile_rows()
    {
        Assert.Matches(@"TOTAL \(1 feeds\)\s+ok\s+3\s+0\s+0\s+0\s+0", run.Once.Stdout);
        Assert.StartsWith("healthy:", run.Health.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", run.RunOutput, StringComparison.Ordinal);
        foreach (var feed in new[] { "a", "b" })
        {
            // the whole hostile name, verbatim: read back as a value, not mangled by quoting
            Assert.Contains(run.NameOf(feed), run.FeedsCommand.Stdout, StringComparison.Ordinal);
            Assert.Contains(run.Feeds.Tokens[$"{feed}.url"], run.ExportOpml.Stdout, StringComparison.Ordinal);
            Assert.Contains(run.Feeds.Tokens[$"{feed}.tag"], run.ExportOpml.Stdout, StringComparison.Ordinal);
        }
        Assert.Contains("2 feed(s), 2 enabled, 0 failing", run.FeedsCommand.Stdout, StringComparison.Ordinal);
    }

    private static List<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()).ToList();

    /// <summary>Articles by guid, as JSON (row_to_json), so text arrays and jsonb read back the same way as parse's output.</summary>
    private async Task<Dictionary<string, Dictionary<string, JsonElement?>>> ReadArticlesAsync()
    {
        var articles = new Dictionary<string, Dictionary<string, JsonElement?>>();
        foreach (var json in await TextRowsAsync("""
            SELECT json_build_object('guid', guid, 'url', url, 'title', title, 'author', author, 'summary', summary,
                'contentHtml', content_html, 'contentText', content_text, 'categories', categories, 'enclosures', enclosures)::text
            FROM articles
            """))
        {
            var row = JsonDocument.Parse(json).RootElement.EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? (JsonElement?)null : p.Value);
            articles.Add(row["guid"]!.Value.GetString()!, row);
        }
        return articles;
    }

    private sealed record FeedRow(string Url, string? Name, string? Title, string? SiteUrl, string[] Tags);

    private async Task<List<FeedRow>> ReadFeedsAsync()
    {
        var rows = new List<FeedRow>();
        await using var connection = new NpgsqlConnection(run.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT url, name, title, site_url, tags FROM feeds", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new FeedRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<string[]>(4)));
        }
        return rows;
    }

    /// <summary>Every row of the product's tables as text.</summary>
    private async Task<string> DumpAsync() => string.Join('\n', await TextRowsAsync("""
        SELECT row_to_json(a)::text FROM articles a
        UNION ALL SELECT row_to_json(f)::text FROM feeds f
        UNION ALL SELECT row_to_json(fa)::text FROM feed_articles fa
        """));

    private async Task<List<string>> TextRowsAsync(string sql)
    {
        var rows = new List<string>();
        await using var connection = new NpgsqlConnection(run.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
