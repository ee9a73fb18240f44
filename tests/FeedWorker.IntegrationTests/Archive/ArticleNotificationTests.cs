using System.Collections.Concurrent;
using System.Text.Json;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedWorker.IntegrationTests.Archive;

/// <summary>
/// A LISTEN connection hears one <c>new</c> per stored article and one <c>updated</c> per change,
/// and nothing of a batch whose writer was killed before it committed.
/// </summary>
public sealed class ArticleNotificationTests : IClassFixture<StorageHost>, IAsyncLifetime
{
    private const string Channel = "feedworker_articles";
    private readonly StorageHost _host;
    private readonly FeedFiles _files = new();
    private readonly ConcurrentQueue<string> _heard = new();
    private NpgsqlConnection? _listener;
    private int _sentinels;

    public ArticleNotificationTests(StorageHost host) => _host = host;

    public async Task InitializeAsync()
    {
        _listener = await _host.OpenAsync();
        _listener.Notification += (_, e) => _heard.Enqueue(e.Payload);
        await using var listen = new NpgsqlCommand($"LISTEN {Channel}", _listener);
        await listen.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_listener is not null) await _listener.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task Each_new_and_changed_article_is_announced_once_and_an_uncommitted_batch_not_at_all()
    {
        var items = FeedFiles.Items("notify", 3, firstSeed: 7000);
        var path = _files.Write("notify", items);
        var (feedId, _) = await _host.StoreFileAsync(path);
        var ids = await IdsAsync("notify-%");
        Assert.Equal(ids.Select(id => new Heard(id, feedId, "new")).Order(), (await HeardAsync()).Order());

        await _host.StoreFileAsync(path);
        Assert.Empty(await HeardAsync());

        items[1] = items[1] with { Body = items[1].Body + " Updated with the result of the vote." };
        items[2] = items[2] with { Title = items[2].Title + " (corrected)" };
        _files.Write("notify", items);
        await _host.StoreFileAsync(path);
        Assert.Equal(
            new[] { new Heard(ids[1], feedId, "updated"), new Heard(ids[2], feedId, "updated") }.Order(),
            (await HeardAsync()).Order());

        // the writer has queued its notifications and waits to record the feed's success; it is killed there
        var late = _files.Write("notify-late", FeedFiles.Items("late", 2, firstSeed: 7100));
        var lateFeed = await _host.Feeds.EnsureAsync(new Uri(late).AbsoluteUri, CancellationToken.None);
        var parsed = await _host.ParseAsync(late);
        await using (var blocker = await _host.OpenAsync())
        {
            await using var hold = await blocker.BeginTransactionAsync();
            await using (var lockFeeds = new NpgsqlCommand("LOCK TABLE feeds IN EXCLUSIVE MODE", blocker, hold))
            {
                await lockFeeds.ExecuteNonQueryAsync();
            }
            var write = _host.Articles.StoreAsync(lateFeed.Id, parsed, _host.Feeds.Succeeded(lateFeed, StorageHost.Success), cancellationToken: CancellationToken.None);
            var writer = await WaitForAsync(async () => await ScalarAsync<int?>(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"));
            Assert.True(await ScalarAsync<bool>($"SELECT pg_terminate_backend({writer})"));
            await Assert.ThrowsAnyAsync<Exception>(() => write);
            await hold.RollbackAsync();
        }
        Assert.Empty(await HeardAsync());
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM articles WHERE guid LIKE 'late-%'"));

        await _host.Articles.StoreAsync(lateFeed.Id, parsed, _host.Feeds.Succeeded(lateFeed, StorageHost.Success), cancellationToken: CancellationToken.None);
        var lateIds = await IdsAsync("late-%");
        Assert.Equal(2, lateIds.Count);
        Assert.Equal(lateIds.Select(id => new Heard(id, lateFeed.Id, "new")).Order(), (await HeardAsync()).Order());
    }

    [Fact]
    public async Task Nothing_is_announced_when_notifications_are_disabled()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddFeedStorage(_host.ConnectionString)
            .Configure<NotificationOptions>(o => o.Enabled = false)
            .BuildServiceProvider();
        var store = services.GetRequiredService<ArticleStore>();
        var path = _files.Write("quiet", FeedFiles.Items("quiet", 2, firstSeed: 7200));
        var feed = await _host.Feeds.EnsureAsync(new Uri(path).AbsoluteUri, CancellationToken.None);

        await store.StoreAsync(feed.Id, await _host.ParseAsync(path), _host.Feeds.Succeeded(feed, StorageHost.Success), cancellationToken: CancellationToken.None);

        Assert.Equal(2, await ScalarAsync<long>("SELECT count(*) FROM articles WHERE guid LIKE 'quiet-%'"));
        Assert.Empty(await HeardAsync());
    }

    private sealed record Heard(long Id, long FeedId, string Kind) : IComparable<Heard>
    {
        public int CompareTo(Heard? other) => other is null ? 1 : (Id, FeedId, Kind).CompareTo((other.Id, other.FeedId, other.Kind));
    }

    /// <summary>
    /// What the listener heard since the last call: a sentinel sent now arrives after every notification
    /// committed before it, so waiting for it waits for them all without a timing guess.
    /// </summary>
    private async Task<List<Heard>> HeardAsync()
    {
        var sentinel = $"sentinel-{++_sentinels}";
        await using (var connection = await _host.OpenAsync())
        await using (var notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', '{sentinel}')", connection))
        {
            await notify.ExecuteNonQueryAsync();
        }
        var heard = new List<Heard>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            while (_heard.TryDequeue(out var payload))
            {
                if (payload == sentinel) return heard;
                using var json = JsonDocument.Parse(payload);
                var root = json.RootElement;
                Assert.Equal(3, root.EnumerateObject().Count());
                heard.Add(new Heard(root.GetProperty("id").GetInt64(), root.GetProperty("feed_id").GetInt64(), root.GetProperty("kind").GetString()!));
            }
            Assert.True(DateTime.UtcNow < deadline, "the sentinel notification did not arrive");
            await _listener!.WaitAsync(TimeSpan.FromSeconds(1));
        }
    }

    private async Task<List<long>> IdsAsync(string guidPattern)
    {
        await using var connection = await _host.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM articles WHERE guid LIKE @p ORDER BY guid", connection);
        command.Parameters.AddWithValue("p", guidPattern);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await _host.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : struct
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (await probe() is { } value) return value;
            Assert.True(DateTime.UtcNow < deadline, "the writer never waited for the lock");
            await Task.Delay(100);
        }
    }
}
