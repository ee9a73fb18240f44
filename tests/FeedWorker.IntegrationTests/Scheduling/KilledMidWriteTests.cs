using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Once;
using Npgsql;

namespace FeedWorker.IntegrationTests.Scheduling;

/// <summary>
/// The only worker SIGKILLed while its write transactions are open, their articles inserted but not committed:
/// the restarted worker must find no half-written batch, fetch the interrupted feeds again at once (not at their
/// next interval), and store each story once.
/// </summary>
[Collection(WorkerProcessCollection.Name)]
public sealed class KilledMidWriteTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int Feeds = 8;
    private const int Items = 5;

    [Fact]
    public async Task A_worker_killed_inside_its_write_leaves_nothing_half_written_and_after_restart_refetches_the_feeds_and_stores_each_story_once()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var feeds = Cluster.PublishFeeds(server, "killed", Feeds, Items);
        var environment = Cluster.Environment(database.ConnectionString, feeds.Select(server.Url).ToList(), "worker");
        // a refetch within the test can then only come from recovering the interrupted work
        environment["FeedWorker__Scheduling__DefaultInterval"] = "00:30:00";
        var migrated = await FeedWorkerProcess.RunAsync(environment, "migrate");
        Assert.True(migrated.ExitCode == 0, migrated.ToString());

        // feed_articles stays readable but nobody can insert: every refresh writes its articles, then waits inside its transaction
        await using var blocker = await database.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await Execute(blocker, "LOCK TABLE feed_articles IN EXCLUSIVE MODE");

        await using (var doomed = RunningWorker.Start(environment))
        {
            await Cluster.WaitUntilAsync(async () => await WritersWaitingAsync() == Feeds, TimeSpan.FromSeconds(60),
                $"all {Feeds} refreshes wait inside their write");
            Assert.Equal(Feeds, await Cluster.ScalarAsync(database, ArticleWritersSql));
            await doomed.KillAsync();
        }
        var killed = DateTimeOffset.UtcNow;
        Assert.All(feeds, feed => Assert.Single(server.RequestsFor(feed)));

        await transaction.RollbackAsync();
        // each orphaned backend gets the lock, then finds its client gone and rolls back
        await Cluster.WaitUntilAsync(async () => await WritersWaitingAsync() == 0 && await OrphansAsync() == 0, TimeSpan.FromSeconds(30),
            "the killed worker's sessions end");
        Assert.Equal(0, await Cluster.ScalarAsync(database, "SELECT count(*) FROM articles"));
        Assert.Equal(0, await Cluster.ScalarAsync(database, "SELECT count(*) FROM feed_articles"));

        await using (var restarted = RunningWorker.Start(environment))
        {
            await Cluster.WaitUntilAsync(
                async () => (await Cluster.ArticlesPerFeedAsync(database)).Count(f => f.Value == Items) == Feeds,
                TimeSpan.FromSeconds(60), "every interrupted feed is stored after the restart");
            await restarted.StopAsync();
        }

        Assert.All(feeds, feed => Assert.Contains(server.RequestsFor(feed), r => r.At > killed));
        Assert.Equal(Feeds * Items, await Cluster.ScalarAsync(database, "SELECT count(*) FROM articles"));
        Assert.Equal(Feeds * Items, await Cluster.ScalarAsync(database, "SELECT count(*) FROM feed_articles"));
        Assert.Equal(0, await Cluster.ScalarAsync(database,
            "SELECT count(*) FROM (SELECT feed_id, guid FROM feed_articles GROUP BY feed_id, guid HAVING count(*) > 1) d"));
        Assert.Equal(0, await Cluster.ScalarAsync(database, "SELECT count(*) FROM feeds WHERE error_count > 0 OR disabled_reason IS NOT NULL"));
    }

    /// <summary>Sessions of this database, other than the test's own, queued behind a lock.</summary>
    private Task<long> WritersWaitingAsync() => Cluster.ScalarAsync(database,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'");

    /// <summary>Sessions that hold a write lock on articles: they have inserted, uncommitted, the stories the kill must undo.</summary>
    private const string ArticleWritersSql =
        "SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid " +
        "WHERE l.relation = 'articles'::regclass AND l.mode = 'RowExclusiveLock' AND l.granted AND a.wait_event_type = 'Lock'";

    /// <summary>Sessions of this database still inside a transaction, other than the test's own.</summary>
    private Task<long> OrphansAsync() => Cluster.ScalarAsync(database,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'");

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
