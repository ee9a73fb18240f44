using System.Text.RegularExpressions;
using FeedWorker.IntegrationTests.Once;
using Npgsql;

namespace FeedWorker.IntegrationTests.Scheduling;

/// <summary>
/// PostgreSQL is up but cannot serve the running worker for a while: every connection slot taken,
/// a pool with no connection left, a statement timing out behind a lock. The worker names the feed
/// and the cause in one line, retries with backoff, resumes by itself, and the archive ends with
/// every story exactly once.
/// </summary>
[Collection(WorkerProcessCollection.Name)]
public sealed class DatabaseSaturationTests : IAsyncLifetime
{
    private const int Feeds = 10;
    private const int FirstStories = 5;
    private const int LaterStories = 2;
    private const int MaxConnections = 30;

    private readonly PrivateCluster _cluster = new(new Dictionary<string, string> { ["max_connections"] = MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public Task InitializeAsync() => _cluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Every_connection_slot_taken_under_the_running_worker_is_survived_and_every_article_stored_once()
    {
        // idle connections are closed within a second or two, so the worker opens new ones
        // while the slots are taken instead of finding its old ones dead
        await using var run = await StartAsync("slots", ";Connection Idle Lifetime=1;Connection Pruning Interval=1");

        // fetches stay in flight for a while: they reach the database after the slots are gone
        run.Server.ResponseDelay = TimeSpan.FromSeconds(2);
        PublishLaterStories(run.Server, run.Feeds);
        var published = DateTimeOffset.UtcNow;
        await Cluster.WaitUntilAsync(() => run.Server.Requests.Any(r => r.At > published), TimeSpan.FromSeconds(10), "a fetch is in flight");
        var faultStarted = run.Worker.Output.Length;
        await using (var hog = await ConnectionHog.TakeAllAsync(_cluster.ConnectionString, TimeSpan.FromSeconds(10)))
        {
            var taken = DateTimeOffset.UtcNow;
            Assert.InRange(hog.Held, MaxConnections - 1, MaxConnections);
            await Cluster.WaitUntilAsync(() => FeedLines(run.Worker.Output[faultStarted..], run.Feeds, "too many clients already").Count > 0,
                TimeSpan.FromSeconds(15), "the worker reports a feed it cannot store for want of a connection");
            // the fault lasts long enough for the job store's own retries to fail too
            await HoldUntilAsync(taken + FaultAtLeast);
            Assert.False(run.Worker.HasExited, run.Worker.Output);
        }
        run.Server.ResponseDelay = TimeSpan.Zero;

        await FinishAsync(run, faultStarted, "too many clients already");
    }

    [Fact]
    public async Task An_exhausted_connection_pool_in_the_running_worker_is_survived_and_every_article_stored_once()
    {
        // one connection, and a caller waits at most a second for it
        await using var run = await StartAsync("pool", ";Maximum Pool Size=1;Timeout=1");

        var faultStarted = run.Worker.Output.Length;
        await using (var connection = await OpenAsync())
        {
            // the first feed's write waits for its writer lock, which the test holds, on the pool's only connection
            await using (var lockFeed = new NpgsqlCommand(
                "SELECT pg_advisory_lock(x'4657000000000000'::bigint | id) FROM feeds WHERE url = @url", connection))
            {
                lockFeed.Parameters.Add(new NpgsqlParameter<string>("url", run.Server.Url(run.Feeds[0])));
                await lockFeed.ExecuteNonQueryAsync();
            }
            PublishLaterStories(run.Server, run.Feeds[..1]);
            await Cluster.WaitUntilAsync(async () => await ScalarAsync(connection, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") == 1,
                TimeSpan.FromSeconds(15), "the first feed's write waits on the pool's only connection");
            PublishLaterStories(run.Server, run.Feeds);
            var held = DateTimeOffset.UtcNow;
            await Cluster.WaitUntilAsync(() => FeedLines(run.Worker.Output[faultStarted..], run.Feeds, "connection pool has been exhausted").Count >= 3,
                TimeSpan.FromSeconds(20), "the worker reports feeds it cannot store for want of a pooled connection");
            await HoldUntilAsync(held + FaultAtLeast);
            Assert.False(run.Worker.HasExited, run.Worker.Output);
            await AssertNothingStoredDuringTheFaultAsync(connection);
        }

        await FinishAsync(run, faultStarted, "connection pool has been exhausted");
    }

    [Fact]
    public async Task A_statement_timeout_behind_a_lock_is_survived_and_every_article_stored_once()
    {
        await using var run = await StartAsync("locked", ";Options=-c statement_timeout=1000");

        var faultStarted = run.Worker.Output.Length;
        await using (var connection = await OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var lockArticles = new NpgsqlCommand("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await lockArticles.ExecuteNonQueryAsync();
            }
            PublishLaterStories(run.Server, run.Feeds);
            var locked = DateTimeOffset.UtcNow;
            // each feed tries four times while the lock is held: the first failure and three retries
            await Cluster.WaitUntilAsync(() => run.Feeds.All(f => run.Server.RequestsFor(f).Count(r => r.At > locked) >= 4),
                TimeSpan.FromSeconds(30), "every feed has been retried three times");
            // a fault that persists for a feed while the database answers shows on its row from the fifth failure on
            await Cluster.WaitUntilAsync(
                async () => await ScalarAsync(connection,
                    "SELECT count(*) FROM feeds WHERE last_error_kind = 'database' AND last_error LIKE '%statement timeout%' AND error_count > 0") == Feeds,
                TimeSpan.FromSeconds(30), "every feed's row records the persisting database failure");
            Assert.False(run.Worker.HasExited, run.Worker.Output);
            await AssertNothingStoredDuringTheFaultAsync(connection);
            await transaction.RollbackAsync();
            // retried with backoff: each feed's next attempt was planned further off, up to its regular interval
            foreach (var feed in run.Feeds)
            {
                var delays = RetryDelays(run.Worker.Output[faultStarted..], run.Server.Url(feed));
                Assert.True(delays.Count >= 3 && delays[0] < delays[1] && delays[1] < delays[2] && delays.Max() <= Cluster.Interval,
                    $"{feed}: retry delays {string.Join(", ", delays)}");
            }
        }

        await FinishAsync(run, faultStarted, "statement timeout");
    }

    /// <summary>How long each fault lasts at least: long enough for retries, of the worker and of the job store, to fail too.</summary>
    private static readonly TimeSpan FaultAtLeast = TimeSpan.FromSeconds(5);

    /// <summary>A worker process and the feeds it polls.</summary>
    private sealed record WorkerRun(CountingFeedServer Server, List<string> Feeds, RunningWorker Worker) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Worker.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    /// <summary>Starts <c>run</c> over freshly published feeds and waits until each has its first stories.</summary>
    private async Task<WorkerRun> StartAsync(string prefix, string connectionOptions)
    {
        var server = await CountingFeedServer.StartAsync();
        var feeds = Cluster.PublishFeeds(server, prefix, Feeds, FirstStories);
        var environment = Cluster.Environment(_cluster.ConnectionString + connectionOptions, feeds.Select(server.Url).ToList(), "saturation");
        // every feed has a thread, so retries are not held up behind each other
        environment["FeedWorker__Scheduling__MaxConcurrentFetches"] = Feeds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var run = new WorkerRun(server, feeds, RunningWorker.Start(environment));
        try
        {
            await run.Worker.WaitUntilStartedAsync();
            await Cluster.WaitUntilAsync(async () => await FeedsWithAsync(FirstStories) == Feeds, TimeSpan.FromSeconds(30), "every feed is stored");
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the later stories are in, stops the worker, and checks what it said and what it stored.</summary>
    private async Task FinishAsync(WorkerRun run, int faultStarted, string cause)
    {
        await Cluster.WaitUntilAsync(async () => await FeedsWithAsync(FirstStories + LaterStories) == Feeds, TimeSpan.FromSeconds(40),
            "every feed has its later stories once the fault is over");
        await run.Worker.StopAsync();

        var output = run.Worker.Output;
        Assert.NotEmpty(FeedLines(output[faultStarted..], run.Feeds, cause));
        // an expected, transient fault is one line per attempt, ours and the job store's: no stack trace at all
        Assert.DoesNotMatch(new Regex(@"^\s+at \S", RegexOptions.Multiline), output);
        var archive = await ArchiveAsync();
        Assert.Equal(new Archive(
            Articles: Feeds * (FirstStories + LaterStories), Links: Feeds * (FirstStories + LaterStories),
            DistinctGuids: Feeds * (FirstStories + LaterStories), Orphans: 0, DisabledFeeds: 0, FeedsInError: 0), archive);
    }

    private static async Task HoldUntilAsync(DateTimeOffset until)
    {
        var rest = until - DateTimeOffset.UtcNow;
        if (rest > TimeSpan.Zero) await Task.Delay(rest);
    }

    /// <summary>Nothing got through while the fault lasted, and nothing half.</summary>
    private static async Task AssertNothingStoredDuringTheFaultAsync(NpgsqlConnection connection)
    {
        Assert.Equal(Feeds * FirstStories, await ScalarAsync(connection, "SELECT count(*) FROM articles"));
        Assert.Equal(Feeds * FirstStories, await ScalarAsync(connection, "SELECT count(*) FROM feed_articles"));
    }

    private static void PublishLaterStories(CountingFeedServer server, List<string> feeds)
    {
        for (var i = 0; i < feeds.Count; i++)
        {
            server.Publish(feeds[i], Storage.FeedFiles.Rss(feeds[i],
                Cluster.Stories(feeds[i], i, FirstStories).Concat(Cluster.Stories(feeds[i], i, LaterStories, batch: 1))));
        }
    }

    /// <summary>Log lines that name one of the feeds and contain <paramref name="cause"/>.</summary>
    private static List<(string Feed, string Line)> FeedLines(string output, List<string> feeds, string cause) =>
        output.Split('\n')
            .Where(l => l.Contains(cause, StringComparison.Ordinal))
            .SelectMany(l => feeds.Where(f => l.Contains($"/feeds/{f}.xml", StringComparison.Ordinal)).Select(f => (f, l)))
            .ToList();

    /// <summary>The delays the worker planned after each database failure of one feed, in order.</summary>
    private static List<TimeSpan> RetryDelays(string output, string feedUrl) =>
        Regex.Matches(output, Regex.Escape(feedUrl) + @": database failure \d+ in a row; trying again in (?<delay>[0-9:.]+)")
            .Select(m => TimeSpan.Parse(m.Groups["delay"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    private sealed record Archive(long Articles, long Links, long DistinctGuids, long Orphans, long DisabledFeeds, long FeedsInError);

    private async Task<Archive> ArchiveAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM articles),
                   (SELECT count(*) FROM feed_articles),
                   (SELECT count(DISTINCT guid) FROM articles),
                   (SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM feed_articles fa WHERE fa.article_id = a.id)),
                   (SELECT count(*) FROM feeds WHERE NOT enabled),
                   (SELECT count(*) FROM feeds WHERE error_count > 0)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Archive(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    /// <summary>A connection of the test's own, outside any pool: it must not count against the worker's.</summary>
    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_cluster.ConnectionString + ";Pooling=false");
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Feeds with exactly this many stories.</summary>
    private async Task<int> FeedsWithAsync(int stories)
    {
        try
        {
            await using var connection = await OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM (SELECT feed_id FROM feed_articles GROUP BY feed_id HAVING count(*) = @stories) f", connection);
            command.Parameters.Add(new NpgsqlParameter<long>("stories", stories));
            return (int)(long)(await command.ExecuteScalarAsync())!;
        }
        catch (NpgsqlException)
        {
            return 0; // not migrated yet
        }
    }
}
