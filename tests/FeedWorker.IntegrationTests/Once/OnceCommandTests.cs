using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Storage;
using Npgsql;

namespace FeedWorker.IntegrationTests.Once;

/// <summary><c>FeedWorker once</c> as a real process against the real PostgreSQL.</summary>
public sealed class OnceCommandTests : IClassFixture<StorageHost>, IDisposable
{
    private readonly StorageHost _host;
    private readonly FeedFiles _files = new();

    public OnceCommandTests(StorageHost host) => _host = host;

    public void Dispose() => _files.Dispose();

    private async Task<string> FreshDatabaseAsync()
    {
        var name = $"fw_once_{Guid.NewGuid():N}";
        await using var connection = await _host.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(_host.ConnectionString) { Database = name }.ConnectionString;
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Three feeds: b carries half of a's stories under its own guids and tracking links.</summary>
    private List<string> ThreeFeeds(string prefix)
    {
        var a = FeedFiles.Items(prefix + "a", 10, firstSeed: 1000);
        var b = a.Take(5).Select(i => i with { Guid = "b-" + i.Guid, Link = i.Link + "?utm_campaign=b" })
            .Concat(FeedFiles.Items(prefix + "b", 5, firstSeed: 1100));
        var c = FeedFiles.Items(prefix + "c", 8, firstSeed: 1200);
        return [_files.Write(prefix + "-a", a), _files.Write(prefix + "-b", b), _files.Write(prefix + "-c", c)];
    }

    [Fact]
    public async Task Twice_over_the_same_feeds_stores_each_article_once_and_the_second_run_writes_no_article_row()
    {
        var database = await FreshDatabaseAsync();
        var environment = FeedWorkerProcess.Environment(database, ThreeFeeds("twice"));

        var first = await FeedWorkerProcess.RunAsync(environment, "once");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Matches(@"TOTAL \(3 feeds\)\s+ok\s+23\s+0\s+0\s+5\s+0", first.Stdout);
        Assert.Equal(23, await CountAsync(database, "SELECT count(*) FROM articles"));
        Assert.Equal(28, await CountAsync(database, "SELECT count(*) FROM feed_articles"));
        var before = await StorageHost.RowVersionsAsync(database);

        var second = await FeedWorkerProcess.RunAsync(environment, "once");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Matches(@"TOTAL \(3 feeds\)\s+ok\s+0\s+0\s+28\s+0\s+0", second.Stdout);
        Assert.Equal(before, await StorageHost.RowVersionsAsync(database));
        Assert.Equal(3, await CountAsync(database, "SELECT count(*) FROM feeds WHERE last_success_at IS NOT NULL AND error_count = 0 AND last_error IS NULL"));
    }

    [Fact]
    public async Task Two_processes_at_the_same_time_leave_no_duplicates_and_no_errors()
    {
        var database = await FreshDatabaseAsync();
        var environment = FeedWorkerProcess.Environment(database, ThreeFeeds("pair"));

        var runs = await Task.WhenAll(FeedWorkerProcess.RunAsync(environment, "once"), FeedWorkerProcess.RunAsync(environment, "once"));

        foreach (var run in runs)
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain("fail:", run.Stderr);
            Assert.DoesNotContain("error", run.Stderr, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(23, await CountAsync(database, "SELECT count(*) FROM articles"));
        Assert.Equal(28, await CountAsync(database, "SELECT count(*) FROM feed_articles"));
        Assert.Equal(3, await CountAsync(database, "SELECT count(*) FROM feeds"));
        // each migration applied once, although both processes started on an empty database
        var migrations = typeof(FeedWorker.Storage.FeedWorkerDbContext).Assembly.GetTypes()
            .Count(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false).Length > 0);
        Assert.Equal(migrations, await CountAsync(database, "SELECT count(*) FROM \"__EFMigrationsHistory\""));
    }

    [Fact]
    public async Task One_failing_feed_is_listed_and_does_not_stop_the_others()
    {
        var database = await FreshDatabaseAsync();
        var good = _files.Write("good", FeedFiles.Items("good", 4, firstSeed: 1300));
        var missing = Path.Combine(_files.Directory, "missing.xml");
        var notAFeed = Path.Combine(_files.Directory, "page.html");
        await File.WriteAllTextAsync(notAFeed, "<html><body><p>Not a feed</p></body></html>");

        var run = await FeedWorkerProcess.RunAsync(FeedWorkerProcess.Environment(database, [missing, good, notAFeed]), "once");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"TOTAL \(3 feeds\)\s+2 failed\s+4\s", run.Stdout);
        Assert.Contains("missing.xml", run.Stdout);
        Assert.Equal(4, await CountAsync(database, "SELECT count(*) FROM articles"));
        Assert.Equal(2, await CountAsync(database, "SELECT count(*) FROM feeds WHERE error_count = 1 AND last_error IS NOT NULL AND last_success_at IS NULL"));
    }

    [Fact]
    public async Task A_feed_named_on_the_command_line_is_added_ad_hoc_and_only_it_is_fetched()
    {
        var database = await FreshDatabaseAsync();
        var configured = _files.Write("configured", FeedFiles.Items("configured", 2, firstSeed: 1400));
        var adHoc = _files.Write("adhoc", FeedFiles.Items("adhoc", 3, firstSeed: 1500));

        var run = await FeedWorkerProcess.RunAsync(FeedWorkerProcess.Environment(database, [configured]), "once", "--feed", adHoc);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, await CountAsync(database, "SELECT count(*) FROM articles"));
        Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM feeds WHERE origin = 'adhoc' AND last_success_at IS NOT NULL"));
        Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM feeds WHERE origin = 'config' AND last_fetched_at IS NULL"));
    }

    /// <summary>A newcomer's sequence: a feed tried once through an environment variable, then plain runs.</summary>
    [Fact]
    public async Task A_feed_given_once_through_an_environment_variable_is_retired_by_the_next_plain_once_and_not_fetched_again()
    {
        var database = await FreshDatabaseAsync();
        await using var server = await CountingFeedServer.StartAsync();
        server.Publish("extra", FeedFiles.Rss("extra", FeedFiles.Items("extra", 3, firstSeed: 1700)));
        var configured = _files.Write("kept", FeedFiles.Items("kept", 2, firstSeed: 1800));
        var extra = server.Url("extra");

        var tried = await FeedWorkerProcess.RunAsync(FeedWorkerProcess.Environment(database, [configured, extra]), "once");
        Assert.True(tried.ExitCode == 0, tried.ToString());
        Assert.Matches(@"TOTAL \(2 feeds\)\s+ok\s+5\s", tried.Stdout);

        var plain = FeedWorkerProcess.Environment(database, [configured]);
        foreach (var run in new[] { await FeedWorkerProcess.RunAsync(plain, "once"), await FeedWorkerProcess.RunAsync(plain, "once") })
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@"TOTAL \(1 feeds\)\s+ok\s", run.Stdout);
            Assert.DoesNotContain(extra, run.Stdout);
        }
        Assert.Single(server.RequestsFor("extra"));
        Assert.Equal(1, await CountAsync(database,
            $"SELECT count(*) FROM feeds WHERE url = '{extra}' AND NOT enabled AND disabled_reason = '{FeedStore.RemovedFromConfiguration}'"));
        // retired, its articles kept
        Assert.Equal(3, await CountAsync(database, $"SELECT count(*) FROM feed_articles fa JOIN feeds f ON f.id = fa.feed_id WHERE f.url = '{extra}'"));
    }

    [Fact]
    public async Task Bad_configuration_is_reported_with_its_path_and_nothing_runs()
    {
        var database = await FreshDatabaseAsync();
        // feeds.url is the feed's identity under a unique b-tree index: PostgreSQL refuses an entry of this
        // incompressible URL (54000, index row size exceeds the b-tree maximum of 2704 bytes)
        var path = new byte[4990];
        new Random(10_000).NextBytes(path);
        var tooLong = "https://long.example/" + Convert.ToHexStringLower(path);
        var environment = FeedWorkerProcess.Environment(database, [_files.Write("ok", FeedFiles.Items("ok", 1, firstSeed: 1600)), "htp:/x", tooLong]);
        environment["FeedWorker__Feeds__0__Interval"] = "often";

        var run = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FeedWorker:Feeds:1:Url: 'htp:/x' is not an absolute http(s) URL or file path", run.Stderr);
        Assert.Contains($"FeedWorker:Feeds:2:Url: '{tooLong[..60]}…' is 10001 bytes long; a feed URL may have at most 2048", run.Stderr);
        Assert.Contains("FeedWorker:Feeds:0:Interval: 'often' is not an interval", run.Stderr);
        Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM pg_tables WHERE tablename = 'articles'"));
    }

    [Fact]
    public async Task A_feed_interval_beyond_the_schedulers_limit_is_refused_with_its_path_and_honoured_once_the_limit_allows_it()
    {
        var database = await FreshDatabaseAsync();
        var environment = FeedWorkerProcess.Environment(database, [_files.Write("slow", FeedFiles.Items("slow", 1, firstSeed: 1900))]);
        environment["FeedWorker__Feeds__0__Interval"] = "3d";

        var refused = await FeedWorkerProcess.RunAsync(environment, "once");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("FeedWorker:Feeds:0:Interval: '3d' is longer than FeedWorker:Scheduling:MaximumInterval (1.00:00:00)", refused.Stderr);

        environment["FeedWorker__Scheduling__MaximumInterval"] = "7.00:00:00";
        var honoured = await FeedWorkerProcess.RunAsync(environment, "once");
        Assert.True(honoured.ExitCode == 0, honoured.ToString());
        Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM feeds WHERE fetch_interval = interval '3 days'"));
    }

    [Fact]
    public async Task An_unreachable_database_exits_non_zero_with_one_clear_line()
    {
        var port = LoopbackPort.Unused();
        var environment = FeedWorkerProcess.Environment($"Host=127.0.0.1;Port={port};Username=feedworker;Database=feedworker;Timeout=5", [_files.Write("x", FeedFiles.Items("x", 1))]);

        var run = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains($"PostgreSQL is unreachable (127.0.0.1:{port}/feedworker)", line);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public async Task Migrate_creates_the_schema_and_nothing_else()
    {
        var database = await FreshDatabaseAsync();

        var run = await FeedWorkerProcess.RunAsync(FeedWorkerProcess.Environment(database, [_files.Write("m", FeedFiles.Items("m", 1))]), "migrate");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, await CountAsync(database, "SELECT count(*) FROM pg_tables WHERE tablename IN ('feeds', 'articles', 'feed_articles')"));
        Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM feeds"));
    }
}
