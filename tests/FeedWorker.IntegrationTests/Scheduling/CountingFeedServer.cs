using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.IntegrationTests.Scheduling;

/// <summary>One request the server answered.</summary>
public sealed record FeedRequest(string Feed, DateTimeOffset At, string UserAgent, int Status);

/// <summary>
/// Serves feeds from 127.0.0.1 with ETags, and records every request, so tests count fetches
/// where they happen: at the publisher.
/// </summary>
public sealed class CountingFeedServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string Xml, string ETag)> _feeds = new();
    private readonly ConcurrentQueue<FeedRequest> _requests = new();
    private LocalServer? _server;

    private CountingFeedServer()
    {
    }

    /// <summary>Delay before each response, to keep fetches in flight.</summary>
    public TimeSpan ResponseDelay { get; set; }

    public static async Task<CountingFeedServer> StartAsync()
    {
        var counting = new CountingFeedServer();
        counting._server = await LocalServer.StartAsync(app => app.MapGet("/feeds/{name}.xml", counting.ServeAsync));
        return counting;
    }

    public string Url(string feed) => $"{_server!.BaseUrl.AbsoluteUri}feeds/{feed}.xml";

    public void Publish(string feed, string xml) =>
        _feeds[feed] = (xml, "\"" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(xml)))[..16] + "\"");

    public IReadOnlyList<FeedRequest> Requests => _requests.ToList();

    public IReadOnlyList<FeedRequest> RequestsFor(string feed) => _requests.Where(r => r.Feed == feed).OrderBy(r => r.At).ToList();

    private async Task ServeAsync(HttpContext context, string name)
    {
        var at = DateTimeOffset.UtcNow;
        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay, context.RequestAborted);
        }
        var status = StatusCodes.Status404NotFound;
        if (_feeds.TryGetValue(name, out var feed))
        {
            context.Response.Headers.ETag = feed.ETag;
            if (context.Request.Headers.IfNoneMatch == feed.ETag)
            {
                status = StatusCodes.Status304NotModified;
            }
            else
            {
                status = StatusCodes.Status200OK;
                context.Response.ContentType = "application/rss+xml; charset=utf-8";
            }
        }
        _requests.Enqueue(new FeedRequest(name, at, context.Request.Headers.UserAgent.ToString(), status));
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status200OK)
        {
            await context.Response.WriteAsync(feed.Xml, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
