using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using FeedWorker.Ingestion.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.Ingestion.Tests.Fetching;

/// <summary>
/// Compressed bodies whose HTTP framing is complete but whose compressed stream is not: the server (or a
/// proxy) cut the transfer and closed cleanly. .NET's own decoders hand back the prefix as if it were
/// whole; the fetcher must refuse it instead of storing half a feed.
/// </summary>
public sealed class TruncatedCompressionTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>About 60 KiB of items, the same every run: compressed it spans several blocks, so a cut lands mid-stream.</summary>
    private static readonly byte[] LongFeed = BuildLongFeed();

    private static byte[] BuildLongFeed()
    {
        var random = new Random(8);
        return Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Long</title><link>http://example.org/</link>"
            + string.Concat(Enumerable.Range(0, 600).Select(i =>
                $"<item><title>Item {i}</title><link>http://example.org/{i}</link><description>{random.NextInt64():x16}{random.NextInt64():x16}</description></item>"))
            + "</channel></rss>");
    }

    private readonly ConcurrentDictionary<string, string> _acceptEncoding = new();
    private LocalServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalServer.StartAsync(app =>
    {
        // /{coding}/{cut}: the feed compressed with gzip or br, less its last {cut} bytes, with a
        // Content-Length that matches what is sent, so only the compressed stream can tell.
        app.MapGet("/{coding}/{cut:int}", async (HttpContext context, string coding, int cut) =>
        {
            _acceptEncoding[context.Request.Path] = context.Request.Headers.AcceptEncoding.ToString();
            var compressed = coding switch
            {
                "gzip" => Gzip(LongFeed),
                "br" => Brotli(LongFeed),
                "gzip-members" => [.. Gzip(LongFeed[..1000]), .. Gzip(LongFeed[1000..])], // two members, as RFC 1952 allows
                "gzip-flipped" => Flip(Gzip(LongFeed)),
                "br-flipped" => Flip(Brotli(LongFeed)),
                _ => throw new ArgumentOutOfRangeException(nameof(coding)),
            };
            var sent = compressed[..^cut];
            context.Response.Headers.ContentEncoding = coding.StartsWith("br", StringComparison.Ordinal) ? "br" : "gzip";
            context.Response.ContentType = "application/rss+xml";
            context.Response.ContentLength = sent.Length;
            await context.Response.Body.WriteAsync(sent);
        });
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<FetchResult> FetchAsync(string path)
    {
        using var host = new FetcherHost();
        var result = await host.Fetcher.FetchAsync(new FetchRequest(_server.Url(path).AbsoluteUri), CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));
        output.WriteLine($"{result.ErrorKind}: {result.Error}");
        return result;
    }

    [Theory]
    [InlineData("gzip/1", "the gzip-compressed body is truncated or corrupt")]     // the last byte of the length footer
    [InlineData("gzip/8", "the gzip-compressed body is truncated or corrupt")]     // the whole CRC and length footer
    [InlineData("gzip/2000", "the gzip-compressed body is truncated or corrupt")] // mid-stream
    [InlineData("br/1", "the Brotli-compressed body is truncated")]
    [InlineData("br/2000", "the Brotli-compressed body is truncated")]
    public async Task A_compressed_body_cut_short_is_refused_naming_the_url(string path, string cause)
    {
        var result = await FetchAsync(path);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(FeedErrorKind.Truncated, result.ErrorKind);
        Assert.StartsWith($"{_server.Url(path).AbsoluteUri}: {cause}", result.Error);
        Assert.True(result.Body.IsEmpty);
    }

    [Theory]
    [InlineData("gzip-flipped/0")]
    [InlineData("br-flipped/0")]
    public async Task A_corrupt_compressed_body_is_refused_naming_the_url(string path)
    {
        var result = await FetchAsync(path);

        Assert.Equal(FeedErrorKind.Truncated, result.ErrorKind);
        Assert.StartsWith(_server.Url(path).AbsoluteUri + ": the ", result.Error);
        Assert.Contains("corrupt", result.Error);
        Assert.True(result.Body.IsEmpty);
    }

    [Theory]
    [InlineData("gzip/0")]
    [InlineData("br/0")]
    [InlineData("gzip-members/0")]
    public async Task A_complete_compressed_body_is_accepted_whole(string path)
    {
        var result = await FetchAsync(path);

        Assert.Equal(FetchOutcome.Fetched, result.Outcome);
        Assert.Equal(LongFeed, result.Body.ToArray());
        // The fetcher decodes gzip and br itself, the handler deflate: all three are still offered.
        var offered = _acceptEncoding["/" + path].Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("gzip", offered);
        Assert.Contains("br", offered);
        Assert.Contains("deflate", offered);
    }

    /// <summary>Every bit of the middle 64 bytes inverted.</summary>
    private static byte[] Flip(byte[] data)
    {
        var copy = data.ToArray();
        for (var i = copy.Length / 2; i < copy.Length / 2 + 64; i++) copy[i] ^= 0xFF;
        return copy;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
        return buffer.ToArray();
    }

    private static byte[] Brotli(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var brotli = new BrotliStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) brotli.Write(data);
        return buffer.ToArray();
    }
}
