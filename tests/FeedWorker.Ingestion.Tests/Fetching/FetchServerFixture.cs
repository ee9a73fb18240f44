using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.Ingestion.Tests.Fetching;

/// <summary>One Kestrel server with every route the fetcher tests need; counters are keyed by an id query value per test.</summary>
public sealed class FetchServerFixture : IAsyncLifetime
{
    public const string ETag = "\"v1\"";
    public const string LastModified = "Tue, 29 Sep 2020 21:03:11 GMT";
    public static readonly byte[] Feed = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Test</title><link>http://example.org/</link>"
        + "<item><title>One</title><link>http://example.org/1</link><description>Caf\u00e9 \u2013 first</description></item></channel></rss>");

    private LocalServer? _server;

    public LocalServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>Requests seen per "path?id" key.</summary>
    public IReadOnlyDictionary<string, int> Attempts =>
        Server.Requests.GroupBy(r => $"{r.Path}?{r.Query("id")}").ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Request headers of the last request per id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Headers =>
        Server.Requests.GroupBy(r => r.Query("id")).ToDictionary(g => g.Key, g => g.Last().Headers);

    /// <summary>Uncompressed bytes the gzip bomb route produced, per id.</summary>
    public ConcurrentDictionary<string, long> BombBytesWritten { get; } = new();

    public async Task InitializeAsync() => _server = await LocalServer.StartAsync(Map);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    private static byte[] GzipZeros(int count)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var written = 0; written < count; written += zeros.Length) gzip.Write(zeros);
        }
        return compressed.ToArray();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/feed.xml", (HttpContext context) =>
        {
            var request = context.Request.Headers;
            if (request.IfNoneMatch == ETag || request.IfModifiedSince == LastModified)
            {
                context.Response.Headers.ETag = ETag;
                return Results.StatusCode(304);
            }
            context.Response.Headers.ETag = ETag;
            context.Response.Headers.LastModified = LastModified;
            context.Response.Headers.CacheControl = "max-age=600";
            return Results.Bytes(Feed, "application/rss+xml; charset=utf-8");
        });

        app.MapGet("/encoded/{coding}", async (HttpContext context, string coding) =>
        {
            using var compressed = new MemoryStream();
            await using (Stream encoder = coding switch
            {
                "gzip" => new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true),
                "deflate" => new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true),
                "br" => new BrotliStream(compressed, CompressionLevel.Optimal, leaveOpen: true),
                _ => throw new ArgumentOutOfRangeException(nameof(coding)),
            })
            {
                await encoder.WriteAsync(Feed);
            }
            context.Response.Headers.ContentEncoding = coding;
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(compressed.ToArray());
        });

        // 1 GiB of zeros, gzip-compressed while streaming: the test stays small, the client sees a bomb.
        app.MapGet("/bomb", async (HttpContext context) =>
        {
            var id = context.Request.Query["id"].ToString();
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentType = "application/rss+xml";
            var zeros = new byte[1024 * 1024];
            try
            {
                await using var gzip = new GZipStream(context.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
                for (var i = 0; i < 1024 && !context.RequestAborted.IsCancellationRequested; i++)
                {
                    await gzip.WriteAsync(zeros, context.RequestAborted);
                    BombBytesWritten.AddOrUpdate(id, zeros.Length, (_, n) => n + zeros.Length);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // the client hung up, as it should
            }
        });

        // A gzip body with an honest Content-Length of about 64 KiB that inflates to 64 MiB.
        var smallBomb = new Lazy<byte[]>(() => GzipZeros(64 * 1024 * 1024));
        app.MapGet("/bomb-with-length", async (HttpContext context) =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentType = "application/rss+xml";
            context.Response.ContentLength = smallBomb.Value.Length;
            await context.Response.Body.WriteAsync(smallBomb.Value);
        });

        // Declares more than it sends, then ends: the connection is cut mid-body.
        app.MapGet("/truncated", async (HttpContext context) =>
        {
            context.Response.ContentLength = 100_000;
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync("<rss version=\"2.0\"><channel>"u8.ToArray());
            await context.Response.Body.FlushAsync();
            context.Abort();
        });

        app.MapGet("/large", async (HttpContext context) =>
        {
            var size = int.Parse(context.Request.Query["size"].ToString());
            if (context.Request.Query["declare"] == "1") context.Response.ContentLength = size;
            context.Response.ContentType = "application/rss+xml";
            var chunk = new byte[16 * 1024];
            Array.Fill(chunk, (byte)'x');
            try
            {
                for (var written = 0; written < size; written += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, size - written)), context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
            }
        });

        // Headers and a few bytes, then nothing until the client gives up.
        app.MapGet("/stall", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync("<rss version=\"2.0\"><channel>"u8.ToArray());
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });

        app.MapGet("/perm3", () => Results.Redirect("perm2", permanent: true)); // relative, 301
        app.MapGet("/perm2", () => Results.Redirect("/perm1", permanent: true, preserveMethod: true)); // 308
        app.MapGet("/perm1", (HttpContext c) => Results.Redirect(new Uri(Server.BaseUrl, "feed.xml").ToString(), permanent: true)); // absolute
        app.MapGet("/mixed", () => Results.Redirect("/temp", permanent: true));
        app.MapGet("/temp", () => Results.Redirect("/feed.xml", permanent: false));
        app.MapGet("/loop-a", () => Results.Redirect("/loop-b"));
        app.MapGet("/loop-b", () => Results.Redirect("/loop-a"));
        app.MapGet("/hop/{n:int}", (int n) => n == 0 ? Results.Bytes(Feed, "application/rss+xml") : Results.Redirect($"/hop/{n - 1}"));
        app.MapGet("/no-location", () => Results.StatusCode(302));
        app.MapGet("/to-file", (HttpContext c) => { c.Response.Headers.Location = "file:///etc/passwd"; return Results.StatusCode(302); });

        app.MapGet("/status/{code:int}", (int code) => Results.Text($"status {code}", "text/plain", statusCode: code));

        app.MapGet("/retry-after-seconds", (HttpContext context) =>
        {
            context.Response.Headers.RetryAfter = "120";
            return Results.StatusCode(429);
        });

        app.MapGet("/retry-after-date", (HttpContext context) =>
        {
            context.Response.Headers.RetryAfter = DateTimeOffset.UtcNow.AddHours(2).ToString("R");
            return Results.StatusCode(503);
        });

        // Fails once with a 503 and a short Retry-After, then serves the feed.
        app.MapGet("/flaky", (HttpContext context) =>
        {
            if (Attempts[$"/flaky?{context.Request.Query["id"]}"] == 1)
            {
                context.Response.Headers.RetryAfter = "0";
                return Results.StatusCode(503);
            }
            return Results.Bytes(Feed, "application/rss+xml");
        });

        app.MapGet("/html-feed", () => Results.Bytes(
            Encoding.Latin1.GetBytes("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Caf\u00e9</title></channel></rss>"),
            "text/html; charset=ISO-8859-1"));

        app.MapGet("/echo", () => Results.Bytes(Feed, "application/rss+xml"));
    }
}
