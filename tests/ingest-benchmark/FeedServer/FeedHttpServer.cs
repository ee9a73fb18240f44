using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FeedWorker.Benchmarks.FeedServer;

/// <summary>
/// Kestrel on several loopback ports (each port is a host to the fetcher's per-host limit, as many
/// sites would be), serving the corpus files with the static-file middleware: ETag and Last-Modified
/// from the file, 304 on If-None-Match / If-Modified-Since. Counts what it answered for run.sh.
/// </summary>
internal static class FeedHttpServer
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        if (options.AppSettings is null)
        {
            Console.Error.WriteLine("serve needs --appsettings FILE");
            return 2;
        }
        var corpus = options.Corpus();
        var ports = options.Ports > 0 ? options.Ports : Math.Clamp((options.Feeds + 9) / 10, 1, 64);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var i = 0; i < ports; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
            }
        });
        var app = builder.Build();
        var stats = new ServerStats();
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Request.Path.StartsWithSegments("/feeds", StringComparison.Ordinal))
            {
                stats.Count(context.Response.StatusCode, context.Response.ContentLength ?? 0);
            }
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.GetFullPath(options.FeedsDirectory)),
            RequestPath = "/feeds",
            ContentTypeProvider = new FeedContentTypes(),
        });
        app.MapGet("/_stats", () => Results.Json(stats.Snapshot()));
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Order(StringComparer.Ordinal).ToList();
        var urls = Enumerable.Range(0, options.Feeds).Select(f => $"{addresses[f % addresses.Count]}/feeds/{corpus.FileName(f)}").ToList();
        await WriteAppSettingsAsync(options.AppSettings, urls);
        Console.WriteLine($"stats {addresses[0]}/_stats");
        Console.WriteLine($"serving {options.Feeds} feeds on {addresses.Count} ports of 127.0.0.1");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>The feed list in FeedWorker's configuration shape (FeedWorker:Feeds:N), for appsettings.{Environment}.json.</summary>
    private static async Task WriteAppSettingsAsync(string path, IReadOnlyList<string> urls)
    {
        var settings = new
        {
            FeedWorker = new
            {
                // every entry sets Name and Tags: index 0 would otherwise inherit the sample feed's from appsettings.json
                Feeds = urls.Select((url, i) => new { Url = url, Name = $"bench {i:D5}", Interval = "30m", Tags = new[] { "bench" } }),
            },
        };
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, path, overwrite: true);
    }

    private sealed class FeedContentTypes : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType)
        {
            contentType = subpath.EndsWith(".atom.xml", StringComparison.Ordinal) ? "application/atom+xml; charset=UTF-8"
                : "application/rss+xml; charset=UTF-8";
            return subpath.EndsWith(".xml", StringComparison.Ordinal);
        }
    }
}

/// <summary>Requests answered under /feeds, by outcome.</summary>
internal sealed class ServerStats
{
    private long _requests;
    private long _ok;
    private long _notModified;
    private long _other;
    private long _bytes;

    public void Count(int status, long bytes)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytes, bytes);
        _ = status switch
        {
            StatusCodes.Status200OK => Interlocked.Increment(ref _ok),
            StatusCodes.Status304NotModified => Interlocked.Increment(ref _notModified),
            _ => Interlocked.Increment(ref _other),
        };
    }

    public object Snapshot() => new
    {
        requests = Interlocked.Read(ref _requests),
        ok = Interlocked.Read(ref _ok),
        notModified = Interlocked.Read(ref _notModified),
        other = Interlocked.Read(ref _other),
        bytes = Interlocked.Read(ref _bytes),
    };
}
