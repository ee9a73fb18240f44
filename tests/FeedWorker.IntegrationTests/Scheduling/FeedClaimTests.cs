using FeedWorker.Ingestion;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedWorker.IntegrationTests.Scheduling;

/// <summary>The claim and lease logic of <see cref="FeedStore"/> on real PostgreSQL: who gets which due feed, and when a claim returns.</summary>
public sealed class FeedClaimTests(StorageHost host) : IClassFixture<StorageHost>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Planned = TimeSpan.FromHours(1);

    /// <summary>Plans every fetch an hour later, an hour more per error in a row: what the store writes is then known.</summary>
    private sealed class FixedPlanner : IFetchPlanner
    {
        public DateTimeOffset Plan(FeedScheduleFacts facts, DateTimeOffset now) => now + Planned * (facts.ErrorCount + 1);
    }

    private FeedStore Store { get; } = new(host.Services.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System, new FixedPlanner());

    /// <summary>Exactly these feeds enabled (the sync retires every other configured feed), all due now.</summary>
    private async Task<List<string>> DueFeedsAsync(string prefix, int count)
    {
        var urls = Enumerable.Range(0, count).Select(i => $"https://claims.example/{prefix}/{i}.xml").ToList();
        await Store.SyncAsync(urls.Select(u => new FeedDefinition(u, null, null, false, [])).ToList(), CancellationToken.None);
        return urls;
    }

    private Task<IReadOnlyList<FeedSubscription>> ClaimAsync(string owner, int limit, TimeSpan? lease = null) =>
        Store.ClaimDueAsync(owner, limit, DateTimeOffset.UtcNow + (lease ?? Lease), countArticles: false, CancellationToken.None);

    private async Task<T> ScalarAsync<T>(string sql, string url)
    {
        await using var connection = await host.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("url", url);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Two_replicas_claiming_at_once_take_every_due_feed_exactly_once()
    {
        var urls = await DueFeedsAsync("race", 300);

        // Each replica waits after its first batch until all three have one, then all claim the rest at once: a
        // replica whose connection opened late could otherwise find the others had taken all 300 before it began.
        var claimedOnce = 0;
        var allClaimedOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<List<string>> ClaimAllAsync(string owner)
        {
            var mine = new List<string>();
            var first = true;
            while (await ClaimAsync(owner, 7) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(f => f.Url));
                if (first)
                {
                    first = false;
                    if (Interlocked.Increment(ref claimedOnce) == 3)
                    {
                        allClaimedOnce.SetResult();
                    }
                    // the deadline only guards a hang: a replica whose first claim came back empty never arrives
                    await allClaimedOnce.Task.WaitAsync(TimeSpan.FromMinutes(1));
                }
            }
            return mine;
        }
        var claimed = await Task.WhenAll(ClaimAllAsync("a"), ClaimAllAsync("b"), ClaimAllAsync("c"));

        var all = claimed.SelectMany(c => c).ToList();
        Assert.Equal(urls.Count, all.Count);
        Assert.Equal(urls.Order(), all.Order());
        Assert.All(claimed, c => Assert.NotEmpty(c));
    }

    [Fact]
    public async Task A_claim_holds_until_its_lease_lapses_and_the_replica_that_takes_the_feed_then_knows_whose_work_it_redoes()
    {
        var url = (await DueFeedsAsync("lease", 1)).Single();

        Assert.Single(await ClaimAsync("a", 10));
        Assert.Empty(await ClaimAsync("b", 10));

        await Store.ReleaseClaimsAsync("a", feedIds: null, CancellationToken.None);
        // a lease that is already over: as if replica a had died holding it
        Assert.Single(await ClaimAsync("a", 10, lease: TimeSpan.FromSeconds(-1)));
        var taken = Assert.Single(await ClaimAsync("b", 10));

        Assert.Equal(url, taken.Url);
        Assert.Equal("b", taken.Claim!.Owner);
        Assert.Equal("a", taken.Claim.PreviousOwner);
        Assert.Equal("b", await ScalarAsync<string>("SELECT claimed_by FROM feeds WHERE url = @url", url));
    }

    [Fact]
    public async Task Renewing_keeps_a_claim_that_would_lapse_and_releasing_makes_the_feeds_due_at_once()
    {
        await DueFeedsAsync("renew", 3);
        Assert.Equal(3, (await ClaimAsync("a", 10, lease: TimeSpan.FromSeconds(-1))).Count);

        Assert.Equal(3, await Store.RenewClaimsAsync("a", DateTimeOffset.UtcNow + Lease, CancellationToken.None));
        Assert.Empty(await ClaimAsync("b", 10));

        Assert.Equal(3, await Store.ReleaseClaimsAsync("a", feedIds: null, CancellationToken.None));
        var again = await ClaimAsync("b", 10);
        Assert.Equal(3, again.Count);
        Assert.All(again, f => Assert.Null(f.Claim!.PreviousOwner));
    }

    [Fact]
    public async Task Recording_a_304_plans_the_next_fetch_and_ends_the_claim()
    {
        var url = (await DueFeedsAsync("notmodified", 1)).Single();
        var feed = Assert.Single(await ClaimAsync("a", 10));
        var before = DateTime.UtcNow;

        await Store.RecordNotModifiedAsync(feed, 304, maxAge: null, CancellationToken.None);

        var next = await ScalarAsync<DateTime>("SELECT next_fetch_at FROM feeds WHERE url = @url", url);
        Assert.InRange(next, before + Planned, DateTime.UtcNow + Planned);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM feeds WHERE url = @url AND (claimed_by IS NOT NULL OR claim_until IS NOT NULL)", url));
        Assert.Equal(1, await ScalarAsync<int>("SELECT consecutive_not_modified FROM feeds WHERE url = @url", url));
        Assert.Empty(await ClaimAsync("b", 10));
    }

    [Fact]
    public async Task A_replica_finishing_after_its_lease_lapsed_records_its_fetch_but_leaves_the_new_claim_alone()
    {
        var url = (await DueFeedsAsync("stale", 1)).Single();
        var late = Assert.Single(await ClaimAsync("a", 10, lease: TimeSpan.FromSeconds(-1)));
        Assert.Single(await ClaimAsync("b", 10));

        await Store.RecordFailureAsync(late, 500, "HTTP 500", FeedErrorKind.ServerError, retryAfter: null, cancellationToken: CancellationToken.None);

        Assert.Equal(1, await ScalarAsync<int>("SELECT error_count FROM feeds WHERE url = @url", url));
        Assert.Equal("b", await ScalarAsync<string>("SELECT claimed_by FROM feeds WHERE url = @url", url));
        var next = await ScalarAsync<DateTime>("SELECT next_fetch_at FROM feeds WHERE url = @url", url);
        Assert.True(next > DateTime.UtcNow + Planned, $"a failure backs off: next fetch {next:O}");
    }

    [Fact]
    public async Task Feeds_not_yet_due_and_retired_feeds_are_not_claimed()
    {
        var urls = await DueFeedsAsync("notdue", 3);
        var first = Assert.Single(await ClaimAsync("a", 1));
        await Store.RecordNotModifiedAsync(first, 304, maxAge: null, CancellationToken.None);
        // the configuration drops one of the two that are still due
        var kept = urls.Where(u => u != first.Url).Take(1).Append(first.Url).ToList();
        await Store.SyncAsync(kept.Select(u => new FeedDefinition(u, null, null, false, [])).ToList(), CancellationToken.None);

        var claimed = Assert.Single(await ClaimAsync("a", 10));
        Assert.Equal(kept[0], claimed.Url);
        var retired = urls.Except(kept).Single();
        Assert.Equal(FeedStore.RemovedFromConfiguration, await ScalarAsync<string>("SELECT disabled_reason FROM feeds WHERE url = @url", retired));
    }
}
