using System.Collections.Concurrent;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Tests.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>
/// Servers that never finish, through the real fetcher with its production defaults. Fetching/FeedFetcherTests
/// already covers gzip bombs (streamed and with an honest length), a stall after the headers, a cut connection
/// and bodies just over a configured limit; these add a body that never ends and one that trickles forever.
/// </summary>
public sealed class HostileServerTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, long> _bytesServed = new();
    private LocalServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalServer.StartAsync(app =>
    {
        // No Content-Length, no end: feed-looking bytes as fast as the client reads them.
        app.MapGet("/endless", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/rss+xml";
            var chunk = "<item><title>again</title></item>"u8.ToArray();
            await Serve(context, "endless", chunk, TimeSpan.Zero);
        });
        // One byte every 50 ms, forever: never idle long enough for a per-read timeout to fire.
        app.MapGet("/trickle", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/rss+xml";
            await Serve(context, "trickle", " "u8.ToArray(), TimeSpan.FromMilliseconds(50));
        });
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task Serve(HttpContext context, string name, byte[] chunk, TimeSpan pause)
    {
        try
        {
            await context.Response.Body.WriteAsync("<rss version=\"2.0\"><channel>"u8.ToArray(), context.RequestAborted);
            // Bounded so a broken client cannot keep the test server busy for ever (1 GiB, or 10 minutes of trickle).
            for (var i = 0; i < 1024 * 1024 * 1024 / chunk.Length && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                _bytesServed.AddOrUpdate(name, chunk.Length, (_, n) => n + chunk.Length);
                if (pause > TimeSpan.Zero)
                {
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(pause, context.RequestAborted);
                    if (i > 12_000) break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // the client hung up, as it should
        }
    }

    [Fact]
    public async Task Endless_body_is_cut_at_the_default_size_limit()
    {
        await AssertFailsAsync("endless", FeedErrorKind.TooLarge, new Dictionary<string, string?>());

        // The fetcher stopped reading soon after its 10 MiB limit: the server could not push much more into the socket.
        Assert.True(_bytesServed.GetValueOrDefault("endless") < 64L * 1024 * 1024, $"{_bytesServed.GetValueOrDefault("endless")} bytes served");
    }

    [Fact]
    public Task Trickling_body_is_cut_by_the_total_timeout() =>
        AssertFailsAsync("trickle", FeedErrorKind.Timeout, new Dictionary<string, string?> { ["FeedWorker:Fetcher:Timeout"] = "00:00:02" });

    private async Task AssertFailsAsync(string path, FeedErrorKind expected, Dictionary<string, string?> settings)
    {
        using var pipeline = new IngestionPipeline(settings);

        var result = await pipeline.Fetcher.FetchAsync(new FetchRequest(_server.Url(path).AbsoluteUri), CancellationToken.None)
            .WaitAsync(IngestionPipeline.Deadline);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(expected, result.ErrorKind);
        Assert.StartsWith(_server.Url(path).AbsoluteUri, result.Error);
        Assert.True(result.Body.IsEmpty);
    }
}
