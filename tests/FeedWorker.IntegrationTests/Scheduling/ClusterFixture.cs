using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Storage;
using Npgsql;
using Xunit.Sdk;

namespace FeedWorker.IntegrationTests.Scheduling;

/// <summary>Timing-sensitive tests with several worker processes: run alone, not beside other test classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkerProcessCollection
{
    public const string Name = "worker processes";
}

/// <summary>What the scheduling tests share: short intervals, and ways to watch the server and the database.</summary>
internal static class Cluster
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    public static Dictionary<string, string> Environment(string connectionString, IReadOnlyList<string> feeds, string replica)
    {
        var environment = FeedWorkerProcess.Environment(connectionString, feeds);
        environment["FeedWorker__Scheduling__DefaultInterval"] = Interval.ToString();
        environment["FeedWorker__Scheduling__MinimumInterval"] = "00:00:01";
        environment["FeedWorker__Scheduling__JitterFraction"] = "0";
        environment["FeedWorker__Scheduling__AdaptToPublishingFrequency"] = "false";
        environment["FeedWorker__Scheduling__ClusterCheckinInterval"] = "00:00:02";
        environment["FeedWorker__Scheduling__ShutdownTimeout"] = "00:00:15";
        // the server tells replicas apart by their User-Agent
        environment["FeedWorker__Fetcher__UserAgent"] = replica;
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Logging__LogLevel__FeedWorker"] = "Information";
        environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information"; // "Application started"
        return environment;
    }

    public static List<string> PublishFeeds(CountingFeedServer server, string prefix, int feeds, int items)
    {
        var names = Enumerable.Range(0, feeds).Select(i => $"{prefix}{i:00}").ToList();
        for (var i = 0; i < names.Count; i++)
        {
            server.Publish(names[i], FeedFiles.Rss(names[i], Stories(names[i], i, items)));
        }
        return names;
    }

    /// <summary>Stories no other feed of the test carries: bodies from disjoint seeds, or dedup would rightly merge them.</summary>
    public static List<FeedItem> Stories(string feed, int feedIndex, int count, int batch = 0) =>
        FeedFiles.Items(batch == 0 ? feed : $"{feed}-{batch}", count, firstSeed: 1_000_000 * batch + 1_000 * feedIndex);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting until {what}");
            }
            await Task.Delay(200);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>As above; a timeout shows what the workers said, which is what explains it.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, params RunningWorker[] workers) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what, workers);

    /// <summary>As above, for a condition that asks the database.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, params RunningWorker[] workers)
    {
        try
        {
            await WaitUntilAsync(condition, timeout, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{RunningWorker.Outputs(workers)}", e);
        }
    }

    /// <summary>Runs assertions about these workers; a failed one carries what they said, which is what explains it.</summary>
    public static async Task ExplainedByAsync(Func<Task> assertions, params RunningWorker[] workers)
    {
        try
        {
            await assertions();
        }
        catch (XunitException e)
        {
            throw new XunitException($"{e.Message}\n{RunningWorker.Outputs(workers)}", e);
        }
    }

    /// <summary>Articles stored per feed URL.</summary>
    public static async Task<Dictionary<string, long>> ArticlesPerFeedAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT f.url, count(fa.article_id) FROM feeds f LEFT JOIN feed_articles fa ON fa.feed_id = f.id GROUP BY f.url", connection);
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    public static async Task<long> ScalarAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
