using FeedWorker.Ingestion.Fetching;
using Microsoft.AspNetCore.Builder;

namespace FeedWorker.Ingestion.Tests.Fetching;

/// <summary>Politeness limits, observed by servers that count the requests they are serving at once.</summary>
public sealed class ConcurrencyTests
{
    /// <summary>A server whose /slow route holds each request until <see cref="Release"/> and counts requests in flight.</summary>
    private sealed class CountingServer : IAsyncDisposable
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly object _sync = new();
        private int _inFlight;

        private CountingServer()
        {
        }

        public LocalServer Server { get; private set; } = null!;

        public int MaxInFlight { get; private set; }

        public int InFlight
        {
            get { lock (_sync) return _inFlight; }
        }

        public static async Task<CountingServer> StartAsync()
        {
            var counting = new CountingServer();
            counting.Server = await LocalServer.StartAsync(app => app.MapGet("/slow", async () =>
            {
                counting.Enter();
                try
                {
                    await counting._gate.Task;
                }
                finally
                {
                    counting.Leave();
                }
                return Microsoft.AspNetCore.Http.Results.Bytes(FetchServerFixture.Feed, "application/rss+xml");
            }));
            return counting;
        }

        public void Release() => _gate.TrySetResult();

        public async Task WaitForInFlight(int count) => await WaitUntil(() => InFlight >= count, $"{count} requests in flight");

        private void Enter()
        {
            lock (_sync) MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
        }

        private void Leave()
        {
            lock (_sync) _inFlight--;
        }

        public async ValueTask DisposeAsync()
        {
            Release();
            await Server.DisposeAsync();
        }
    }

    private static Task<FetchResult[]> FetchMany(FeedFetcher fetcher, Uri url, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(_ => fetcher.FetchAsync(new FetchRequest(url.ToString()), CancellationToken.None)));

    [Fact]
    public async Task At_most_two_requests_run_against_one_host_by_default()
    {
        await using var slow = await CountingServer.StartAsync();
        using var host = new FetcherHost();

        var all = FetchMany(host.Fetcher, slow.Server.Url("slow"), 8);
        await slow.WaitForInFlight(2);
        await Task.Delay(200); // give a third request the chance to arrive if the limit were broken
        Assert.Equal(2, slow.InFlight);
        slow.Release();

        Assert.All(await all, r => Assert.Equal(FetchOutcome.Fetched, r.Outcome));
        Assert.Equal(2, slow.MaxInFlight);
    }

    [Fact]
    public async Task Global_limit_caps_requests_across_hosts()
    {
        await using var first = await CountingServer.StartAsync();
        await using var second = await CountingServer.StartAsync();
        using var host = new FetcherHost(new Dictionary<string, string?>
        {
            ["FeedWorker:Fetcher:GlobalConcurrency"] = "3",
            ["FeedWorker:Fetcher:PerHostConcurrency"] = "10",
        });

        var all = Task.WhenAll(FetchMany(host.Fetcher, first.Server.Url("slow"), 5), FetchMany(host.Fetcher, second.Server.Url("slow"), 5));
        await WaitUntil(() => first.InFlight + second.InFlight >= 3, "3 requests in flight");
        await Task.Delay(200);
        Assert.Equal(3, first.InFlight + second.InFlight);
        first.Release();
        second.Release();

        var results = await all;
        Assert.All(results.SelectMany(r => r), r => Assert.Equal(FetchOutcome.Fetched, r.Outcome));
    }

    [Fact]
    public async Task A_stalling_host_does_not_delay_a_fast_one()
    {
        await using var stalling = await CountingServer.StartAsync();
        await using var fast = await CountingServer.StartAsync();
        fast.Release();
        using var host = new FetcherHost();

        // Two requests hold the stalling host's slots, two more queue behind them.
        var stalled = FetchMany(host.Fetcher, stalling.Server.Url("slow"), 4);
        await stalling.WaitForInFlight(2);

        var quick = await host.Fetcher.FetchAsync(new FetchRequest(fast.Server.Url("slow").ToString()), CancellationToken.None);

        Assert.Equal(FetchOutcome.Fetched, quick.Outcome);
        Assert.False(stalled.IsCompleted);
        stalling.Release();
        Assert.All(await stalled, r => Assert.Equal(FetchOutcome.Fetched, r.Outcome));
    }

    /// <summary>Polls until the condition holds; a limiter stricter than expected fails the test instead of hanging it.</summary>
    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }
}
