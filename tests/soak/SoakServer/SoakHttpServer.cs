using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace FeedWorker.Soak.Server;

/// <summary>
/// Kestrel on several loopback ports (each port a host to the fetcher's per-host limit) serving
/// /feeds/N.xml from the newsroom with ETag/Last-Modified/304, a fault on a random share of the
/// requests, and a control API for run.sh: /_stats, POST /_quiesce (no more faults or stories),
/// POST /_ledger (write ledger.tsv and final.tsv to the out directory).
/// </summary>
internal static class SoakHttpServer
{
    public static async Task<int> RunAsync(SoakOptions options)
    {
        Directory.CreateDirectory(options.OutDirectory);
        var newsroom = new Newsroom(options, DateTimeOffset.UtcNow);
        using var faults = new FaultInjector(options);
        var stats = new RequestStats();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var i = 0; i < options.Ports; i++) kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.MapGet("/feeds/{name}", (HttpContext context, string name) =>
        {
            if (!int.TryParse(Path.GetFileNameWithoutExtension(name), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || index >= newsroom.Feeds.Count)
            {
                context.Response.StatusCode = 404;
                return Task.CompletedTask;
            }
            var feed = newsroom.Feeds[index];
            return ServeAsync(context, feed, faults.Next(feed), options.Stall, stats);
        });
        app.MapGet("/_stats", () => Results.Json(new
        {
            requests = stats.Requests, ok = stats.Ok, notModified = stats.NotModified,
            faults = faults.Counts(), published = newsroom.Published, quiesced = newsroom.Quiesced,
        }));
        app.MapPost("/_quiesce", () =>
        {
            faults.Stop();
            newsroom.Quiesce();
            return Results.Json(new { quiescedAt = DateTimeOffset.UtcNow });
        });
        app.MapPost("/_ledger", () =>
        {
            var (lines, feeds) = newsroom.WriteLedger(options.OutDirectory);
            return Results.Json(new { lines, feeds });
        });
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Order(StringComparer.Ordinal).ToList();
        foreach (var feed in newsroom.Feeds)
        {
            feed.Url = $"{addresses[feed.Index % addresses.Count]}/feeds/{feed.Index:D5}.xml";
        }
        if (options.AppSettings is { } path) await WriteAppSettingsAsync(path, newsroom.Feeds, options.Interval);

        using var publisher = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var publishing = Task.Run(async () =>
        {
            try
            {
                while (await publisher.WaitForNextTickAsync(lifetime.ApplicationStopping)) newsroom.PublishDue(DateTimeOffset.UtcNow);
            }
            catch (OperationCanceledException)
            {
                // shutting down
            }
        });
        Console.WriteLine($"stats {addresses[0]}/_stats");
        Console.WriteLine($"serving {options.Feeds} feeds on {addresses.Count} ports of 127.0.0.1, fault rate {options.FaultRate:P0}");
        await app.WaitForShutdownAsync();
        await publishing;
        return 0;
    }

    private static async Task ServeAsync(HttpContext context, NewsFeed feed, Fault? fault, TimeSpan stall, RequestStats stats)
    {
        stats.Request();
        var snapshot = feed.Current;
        var response = context.Response;
        switch (fault)
        {
            case Fault.ServerError or Fault.Unavailable:
                response.StatusCode = fault == Fault.ServerError ? 500 : 503;
                await response.WriteAsync("injected fault\n");
                return;
            case Fault.Reset:
                context.Abort();
                return;
            case Fault.StallBeforeHeaders:
                await Pause(stall, context);
                context.Abort();
                return;
        }
        if (fault is null && context.Request.Headers.IfNoneMatch.ToString() == snapshot.ETag)
        {
            response.StatusCode = 304;
            response.Headers.ETag = snapshot.ETag;
            stats.NotModifiedResponse();
            return;
        }
        response.ContentType = feed.Syntax == Benchmarks.Feeds.FeedSyntax.Atom ? "application/atom+xml; charset=UTF-8" : "application/rss+xml; charset=UTF-8";
        response.Headers.ETag = snapshot.ETag;
        response.Headers.LastModified = HeaderUtilities.FormatDate(snapshot.LastModified);
        response.ContentLength = snapshot.Body.Length;
        if (fault is Fault.StallMidBody or Fault.Truncated)
        {
            // the headers promise the whole body; a part of it comes, then nothing (stall) or the connection ends
            var part = fault == Fault.StallMidBody ? Math.Min(1024, snapshot.Body.Length / 2) : snapshot.Body.Length / 2;
            await response.Body.WriteAsync(snapshot.Body.AsMemory(0, part), context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            if (fault == Fault.StallMidBody) await Pause(stall, context);
            context.Abort();
            return;
        }
        await response.Body.WriteAsync(snapshot.Body, context.RequestAborted);
        feed.MarkServedWhole(snapshot.Revision);
        stats.OkResponse();
    }

    private static async Task Pause(TimeSpan stall, HttpContext context)
    {
        try
        {
            await Task.Delay(stall, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // the client gave up first, as it should
        }
    }

    /// <summary>The feed list in FeedWorker's configuration shape (FeedWorker:Feeds:N), for appsettings.{Environment}.json.</summary>
    private static async Task WriteAppSettingsAsync(string path, IReadOnlyList<NewsFeed> feeds, string interval)
    {
        // every entry sets Name and Tags: index 0 would otherwise inherit the sample feed's from appsettings.json
        var settings = new
        {
            FeedWorker = new { Feeds = feeds.Select(f => new { f.Url, Name = $"soak {f.Index:D5}", Interval = interval, Tags = new[] { "soak" } }) },
        };
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, path, overwrite: true);
    }
}

internal sealed class RequestStats
{
    private long _requests;
    private long _ok;
    private long _notModified;

    public long Requests => Interlocked.Read(ref _requests);
    public long Ok => Interlocked.Read(ref _ok);
    public long NotModified => Interlocked.Read(ref _notModified);

    public void Request() => Interlocked.Increment(ref _requests);
    public void OkResponse() => Interlocked.Increment(ref _ok);
    public void NotModifiedResponse() => Interlocked.Increment(ref _notModified);
}
