using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FeedWorker.IntegrationTests.Controls;

/// <summary>Retention on the real PostgreSQL: what is deleted, what is kept, tombstones, and storing meanwhile.</summary>
public sealed class RetentionTests : IClassFixture<StorageHost>, IDisposable
{
    private readonly StorageHost _host;
    private readonly FeedFiles _files = new();

    public RetentionTests(StorageHost host) => _host = host;

    public void Dispose() => _files.Dispose();

    private ArticlePruner Pruner(TimeSpan? maxAge, int batchSize = 500) => new(
        _host.Services.GetRequiredService<NpgsqlDataSource>(),
        Options.Create(new RetentionOptions { MaxAge = maxAge, BatchSize = batchSize }),
        TimeProvider.System, NullLogger<ArticlePruner>.Instance);

    private async Task AgeAsync(string titlePrefix, int days)
    {
        await using var connection = await _host.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE articles SET first_seen_at = now() - make_interval(days => @days) WHERE title LIKE @prefix || '%'", connection);
        command.Parameters.AddWithValue("days", days);
        command.Parameters.AddWithValue("prefix", titlePrefix);
        await command.ExecuteNonQueryAsync();
    }

    private Task<long> CountAsync(string sql) => _host.ScalarAsync<long>(sql);

    [Fact]
    public async Task Deletes_only_articles_older_than_every_linking_feed_keeps_and_never_stores_them_again()
    {
        // feed x: x 0 and x 1 old, x 2 new; feed y (keeps 60 days) carries x 1 too, and y 0, old
        var x = FeedFiles.Items("retx", 3, firstSeed: 7000);
        var y = new List<FeedItem> { x[1] with { Guid = "y-copy" } }.Concat(FeedFiles.Items("rety", 1, firstSeed: 7100)).ToList();
        var xPath = _files.Write("retx", x);
        var yPath = _files.Write("rety", y);
        var (xFeed, _) = await _host.StoreFileAsync(xPath);
        await _host.StoreFileAsync(yPath);
        await AgeAsync("Story retx 0", 40);
        await AgeAsync("Story retx 1", 40);
        await AgeAsync("Story rety 0", 40);
        var keepLonger = new Dictionary<string, TimeSpan> { [new Uri(yPath).AbsoluteUri] = TimeSpan.FromDays(60) };

        var wouldBe = new List<PrunedArticle>();
        var dry = await Pruner(TimeSpan.FromDays(30)).PruneAsync(keepLonger, dryRun: true, b => { wouldBe.AddRange(b); return Task.CompletedTask; }, CancellationToken.None);
        Assert.Equal(1, dry);
        Assert.Equal(["Story retx 0"], wouldBe.Select(a => a.Title));
        Assert.Equal(4, await CountAsync("SELECT count(*) FROM articles WHERE title LIKE 'Story ret%'"));

        var deleted = await Pruner(TimeSpan.FromDays(30)).PruneAsync(keepLonger, dryRun: false, null, CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal(
            ["Story retx 1", "Story retx 2", "Story rety 0"],
            await ControlledDatabase.StringsAsync(_host.ConnectionString, "SELECT title FROM articles WHERE title LIKE 'Story ret%' ORDER BY title"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM feed_articles WHERE feed_id = {xFeed} AND item_key = 'guid:retx-0'"));

        // the feed still carries the item: it is not stored again
        var subscription = (await _host.Feeds.FindAsync(xFeed, CancellationToken.None))!;
        var again = await _host.Articles.StoreAsync(xFeed, await _host.ParseAsync(xPath), _host.Feeds.Succeeded(subscription, StorageHost.Success), cancellationToken: CancellationToken.None);
        Assert.Equal(0, again.New);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM articles WHERE title = 'Story retx 0'"));

        // once the feed dropped it, the tombstone is forgotten; should it come back, it is a new story
        await _host.Articles.StoreAsync(xFeed, await _host.ParseAsync(_files.Write("retx-later", x.Skip(1))), _host.Feeds.Succeeded(subscription, StorageHost.Success), cancellationToken: CancellationToken.None);
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM pruned_items WHERE feed_id = {xFeed}"));
    }

    [Fact]
    public async Task Retention_off_deletes_nothing()
    {
        await _host.StoreFileAsync(_files.Write("retoff", FeedFiles.Items("retoff", 2, firstSeed: 7200)));
        await AgeAsync("Story retoff", 4000);
        Assert.Equal(0, await Pruner(null).PruneAsync(new Dictionary<string, TimeSpan>(), false, null, CancellationToken.None));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM articles WHERE title LIKE 'Story retoff%'"));
    }

    [Fact]
    public async Task Storing_goes_on_while_retention_deletes_in_batches()
    {
        var old = _files.Write("retbulk", FeedFiles.Items("retbulk", 600, firstSeed: 20_000));
        await _host.StoreFileAsync(old);
        await AgeAsync("Story retbulk", 400);
        // other tests of this class may have left old articles too: all of them are due
        var due = await CountAsync("SELECT count(*) FROM articles WHERE first_seen_at < now() - interval '365 days'");
        var fresh = Enumerable.Range(0, 12).Select(i => _files.Write($"retnew{i}", FeedFiles.Items($"retnew{i}", 20, firstSeed: 30_000 + i * 100))).ToList();

        var pruning = Pruner(TimeSpan.FromDays(365), batchSize: 50).PruneAsync(new Dictionary<string, TimeSpan>(), false, null, CancellationToken.None);
        var storing = fresh.Select(async path => (await _host.StoreFileAsync(path)).Result.New).ToList();

        Assert.True(due >= 600);
        Assert.Equal(due, await pruning);
        Assert.All(await Task.WhenAll(storing), n => Assert.Equal(20, n));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM articles WHERE title LIKE 'Story retbulk%'"));
        Assert.Equal(240, await CountAsync("SELECT count(*) FROM articles WHERE title LIKE 'Story retnew%'"));
    }

    [Fact]
    public async Task Prune_command_prints_what_it_would_delete_then_deletes_it()
    {
        var database = await ControlledDatabase.CreateAsync(_host, "prune");
        var environment = FeedWorkerProcess.Environment(database, [_files.Write("retcmd", FeedFiles.Items("retcmd", 3, firstSeed: 7300))]);
        Assert.Equal(0, (await FeedWorkerProcess.RunAsync(environment, "once")).ExitCode);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var age = new NpgsqlCommand("UPDATE articles SET first_seen_at = now() - interval '10 days' WHERE title <> 'Story retcmd 2'", connection);
            await age.ExecuteNonQueryAsync();
        }
        environment["FeedWorker__Retention__MaxAge"] = "7.00:00:00";

        var dry = await FeedWorkerProcess.RunAsync(environment, "prune", "--dry-run");
        var real = await FeedWorkerProcess.RunAsync(environment, "prune");

        Assert.True(dry.ExitCode == 0 && real.ExitCode == 0, dry + "\n" + real);
        Assert.Equal(2, dry.Stdout.Split('\n').Count(l => l.StartsWith("would delete\t", StringComparison.Ordinal)));
        Assert.Contains("2 articles would be deleted", dry.Stdout);
        Assert.Equal(2, real.Stdout.Split('\n').Count(l => l.StartsWith("deleted\t", StringComparison.Ordinal)));
        Assert.Contains("2 articles deleted", real.Stdout);
        Assert.Equal(["Story retcmd 2"], await ControlledDatabase.StringsAsync(database, "SELECT title FROM articles"));
    }
}
