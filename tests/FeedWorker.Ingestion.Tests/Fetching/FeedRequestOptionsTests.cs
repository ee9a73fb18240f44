using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using FeedWorker.Ingestion.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.Ingestion.Tests.Fetching;

/// <summary>
/// Per-feed credentials, headers and proxies against real Kestrel servers: two origins (two ports), a
/// forward proxy, redirects within and across origins; secrets never in results or logs.
/// </summary>
public sealed class FeedRequestOptionsTests : IAsyncLifetime
{
    private const string User = "reader";
    private const string Secret = "s3cr3t-Pa55word";
    private const string CookieSecret = "session=c00kie-s3cret";
    private static readonly string BasicAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Secret}"));

    private LocalServer _home = null!;
    private LocalServer _other = null!;
    private ForwardProxy _proxy = null!;

    /// <summary>Request headers per "server path", in arrival order.</summary>
    private readonly ConcurrentQueue<(string Where, Dictionary<string, string> Headers)> _seen = new();

    public async Task InitializeAsync()
    {
        _other = await LocalServer.StartAsync(app => Map(app, "other"));
        _home = await LocalServer.StartAsync(app =>
        {
            Map(app, "home");
            app.MapGet("/same-origin", () => Results.Redirect("/feed.xml"));
            app.MapGet("/cross-origin", () => Results.Redirect(_other.Url("feed.xml").ToString()));
            app.MapGet("/userinfo", () => Results.Redirect($"http://{User}:{Secret}@{_home.BaseUrl.Authority}/feed.xml", permanent: true));
            app.MapGet("/to-loopback", () => Results.Redirect(_other.Url("feed.xml").ToString()));
            app.MapGet("/protected.xml", (HttpContext context) =>
            {
                Record(context, "home");
                return context.Request.Headers.Authorization == BasicAuth
                    ? Results.Bytes(FetchServerFixture.Feed, "application/rss+xml")
                    : Results.StatusCode(401);
            });
        });
        _proxy = await ForwardProxy.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _home.DisposeAsync();
        await _other.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    private void Map(WebApplication app, string name) =>
        app.MapGet("/feed.xml", (HttpContext context) =>
        {
            Record(context, name);
            return Results.Bytes(FetchServerFixture.Feed, "application/rss+xml");
        });

    private void Record(HttpContext context, string name) =>
        _seen.Enqueue(($"{name}{context.Request.Path}", context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));

    private FeedRequestOptions Options(Uri? proxy = null, string? password = Secret) => new()
    {
        Origin = _home.BaseUrl,
        Username = User,
        Password = password,
        Headers = new Dictionary<string, string> { ["Cookie"] = CookieSecret, ["User-Agent"] = "PrivateReader/1.0" },
        Proxy = proxy,
    };

    private static async Task<(FetchResult Result, FetcherHost Host)> FetchAsync(Uri url, FeedRequestOptions? options, Dictionary<string, string?>? settings = null)
    {
        var host = new FetcherHost(settings);
        var result = await host.Fetcher.FetchAsync(new FetchRequest(url.ToString(), Options: options), CancellationToken.None);
        return (result, host);
    }

    private static void AssertNoSecret(FetchResult result, FetcherHost host)
    {
        var texts = new[] { result.Error, result.FinalUrl.ToString(), result.PermanentRedirect?.ToString() }
            .Concat(host.Logs.Select(l => l.Message))
            .Concat(host.Logs.SelectMany(l => l.Properties.Values.Select(v => v?.ToString())));
        foreach (var text in texts.OfType<string>())
        {
            Assert.DoesNotContain(Secret, text);
            Assert.DoesNotContain("c00kie-s3cret", text);
            Assert.DoesNotContain(BasicAuth[6..], text);
        }
    }

    [Fact]
    public async Task Credentials_and_headers_go_to_the_feeds_origin_and_follow_a_same_origin_redirect()
    {
        var (result, host) = await FetchAsync(_home.Url("same-origin"), Options());
        using (host)
        {
            Assert.Equal(FetchOutcome.Fetched, result.Outcome);
            var (where, headers) = Assert.Single(_seen);
            Assert.Equal("home/feed.xml", where);
            Assert.Equal(BasicAuth, headers["Authorization"]);
            Assert.Equal(CookieSecret, headers["Cookie"]);
            Assert.Equal("PrivateReader/1.0", headers["User-Agent"]);
            AssertNoSecret(result, host);
        }
    }

    [Fact]
    public async Task A_redirect_to_another_origin_gets_neither_credentials_nor_custom_headers()
    {
        var (result, host) = await FetchAsync(_home.Url("cross-origin"), Options());
        using (host)
        {
            Assert.Equal(FetchOutcome.Fetched, result.Outcome);
            var (where, headers) = Assert.Single(_seen);
            Assert.Equal("other/feed.xml", where);
            Assert.False(headers.ContainsKey("Authorization"));
            Assert.False(headers.ContainsKey("Cookie"));
            Assert.StartsWith("FeedWorker/", headers["User-Agent"]);
            AssertNoSecret(result, host);
        }
    }

    [Fact]
    public async Task A_feed_without_options_sends_no_credentials()
    {
        var (result, host) = await FetchAsync(_home.Url("feed.xml"), null);
        using (host)
        {
            Assert.Equal(FetchOutcome.Fetched, result.Outcome);
            Assert.False(Assert.Single(_seen).Headers.ContainsKey("Authorization"));
        }
    }

    [Fact]
    public async Task Refused_and_missing_credentials_have_their_own_kind_and_say_which()
    {
        var (missing, host1) = await FetchAsync(_home.Url("protected.xml"), null);
        var (refused, host2) = await FetchAsync(_home.Url("protected.xml"), Options(password: "wrong-" + Secret));
        var (accepted, host3) = await FetchAsync(_home.Url("protected.xml"), Options());
        using (host1) using (host2) using (host3)
        {
            Assert.Equal(FeedErrorKind.Unauthorized, missing.ErrorKind);
            Assert.Contains("none are configured", missing.Error);
            Assert.Equal(FeedErrorKind.Unauthorized, refused.ErrorKind);
            Assert.Contains("refused the credentials", refused.Error);
            Assert.Equal(FetchOutcome.Fetched, accepted.Outcome);
            AssertNoSecret(refused, host2);
            AssertNoSecret(accepted, host3);
        }
    }

    [Fact]
    public async Task User_info_in_a_redirect_is_neither_used_nor_returned_nor_logged()
    {
        var (result, host) = await FetchAsync(_home.Url("userinfo"), null);
        using (host)
        {
            Assert.Equal(FetchOutcome.Fetched, result.Outcome);
            Assert.Equal(_home.Url("feed.xml"), result.PermanentRedirect);
            Assert.False(Assert.Single(_seen).Headers.ContainsKey("Authorization"));
            Assert.Contains(host.Logs, l => l.Message.Contains("moved permanently"));
            AssertNoSecret(result, host);
        }
    }

    [Fact]
    public async Task User_info_in_the_feed_url_becomes_basic_auth_and_is_never_printed()
    {
        var url = new Uri($"http://{User}:{Secret}@{_home.BaseUrl.Authority}/protected.xml");
        var (result, host) = await FetchAsync(url, null);
        using (host)
        {
            Assert.Equal(FetchOutcome.Fetched, result.Outcome);
            Assert.Equal(_home.Url("protected.xml"), result.FinalUrl);
            Assert.Equal(BasicAuth, Assert.Single(_seen).Headers["Authorization"]);
            AssertNoSecret(result, host);
        }
    }

    [Fact]
    public async Task A_feeds_proxy_carries_its_requests_with_the_feeds_headers()
    {
        var (result, host) = await FetchAsync(_home.Url("same-origin"), Options(proxy: _proxy.Url));
        using (host)
        {
            Assert.Equal(FetchOutcome.Fetched, result.Outcome);
            Assert.Equal([_home.Url("same-origin").ToString(), _home.Url("feed.xml").ToString()], _proxy.Targets.ToArray());
            Assert.Equal(BasicAuth, Assert.Single(_seen).Headers["Authorization"]);
            AssertNoSecret(result, host);
        }
    }

    [Fact]
    public async Task The_default_proxy_setting_carries_feeds_without_their_own()
    {
        var (result, host) = await FetchAsync(_home.Url("feed.xml"), null, new() { ["FeedWorker:Fetcher:Proxy"] = _proxy.Url.ToString() });
        using (host)
        {
            Assert.Equal(FetchOutcome.Fetched, result.Outcome);
            Assert.Equal([_home.Url("feed.xml").ToString()], _proxy.Targets.ToArray());
        }
    }

    [Fact]
    public async Task A_redirect_leaving_the_feeds_host_for_an_internal_address_is_refused_unless_allowlisted()
    {
        // "localhost" is the configured host; the redirect goes to 127.0.0.1, another host, and internal
        var feed = new Uri($"http://localhost:{_home.BaseUrl.Port}/to-loopback");
        var (refused, host1) = await FetchAsync(feed, null);
        var (allowed, host2) = await FetchAsync(feed, null, new() { ["FeedWorker:FullContent:Allowlist:0"] = "127.0.0.1" });
        var (configured, host3) = await FetchAsync(_other.Url("feed.xml"), null);
        using (host1) using (host2) using (host3)
        {
            Assert.Equal(FeedErrorKind.Blocked, refused.ErrorKind);
            Assert.Contains("internal address", refused.Error);
            Assert.Equal(FetchOutcome.Fetched, allowed.Outcome);
            Assert.Equal(FetchOutcome.Fetched, configured.Outcome);
            Assert.Equal(["other/feed.xml", "other/feed.xml"], _seen.Select(s => s.Where).ToArray());
        }
    }

    [Fact]
    public async Task Article_pages_get_the_feeds_headers_on_its_own_origin_only()
    {
        using var host = new FetcherHost(new Dictionary<string, string?> { ["FeedWorker:FullContent:Allowlist:0"] = "127.0.0.1" });
        await host.Extractor.ExtractAsync(_home.Url("feed.xml"), Options(), CancellationToken.None);
        await host.Extractor.ExtractAsync(_other.Url("feed.xml"), Options(), CancellationToken.None);
        var seen = _seen.ToDictionary(s => s.Where, s => s.Headers);
        Assert.Equal(CookieSecret, seen["home/feed.xml"]["Cookie"]);
        Assert.False(seen["other/feed.xml"].ContainsKey("Cookie"));
        Assert.False(seen["other/feed.xml"].ContainsKey("Authorization"));
    }

    [Fact]
    public void Options_never_print_their_secrets()
    {
        var text = Options(proxy: new Uri($"http://proxyuser:{Secret}@127.0.0.1:3128/")).ToString();
        Assert.DoesNotContain(Secret, text);
        Assert.DoesNotContain("c00kie", text);
        Assert.Contains("Cookie", text);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_truncated_not_reset()
    {
        await using var server = new RawTcpServer(async (socket, ct) =>
        {
            await RawTcpServer.ReceiveFirstAsync(socket, ct);
            var head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5000\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head).Concat(FetchServerFixture.Feed).ToArray(), SocketFlags.None, ct);
            socket.Shutdown(SocketShutdown.Both);
        });
        var (result, host) = await FetchAsync(new Uri($"http://127.0.0.1:{server.Port}/feed.xml"), null, new() { ["FeedWorker:Fetcher:RetryCount"] = "0" });
        using (host)
        {
            Assert.Equal(FeedErrorKind.Truncated, result.ErrorKind);
            Assert.Contains("Content-Length of 5000", result.Error);
        }
    }

    [Fact]
    public async Task A_gzip_body_inside_the_gzip_coding_is_decoded()
    {
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/twice.xml", (HttpContext context) =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            return Results.Bytes(Gzip(Gzip(FetchServerFixture.Feed)), "application/rss+xml");
        }));
        var (result, host) = await FetchAsync(server.Url("twice.xml"), null);
        using (host)
        {
            Assert.Equal(FetchOutcome.Fetched, result.Outcome);
            Assert.Equal(FetchServerFixture.Feed, result.Body.ToArray());
        }
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }
}
