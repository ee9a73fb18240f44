using System.Collections.Concurrent;
using System.Text;
using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.IntegrationTests.Controls;

/// <summary>
/// A feed behind basic auth and a cookie, moved by a redirect that carries user info, with item links
/// and enclosures that carry user info: <c>once</c>, <c>feeds</c> and <c>export-opml</c> as real processes.
/// The secrets are used where they belong and appear nowhere else: not in stdout, stderr (at Debug),
/// nor any table of the database.
/// </summary>
public sealed class SecretsTests(StorageHost host) : IClassFixture<StorageHost>
{
    private const string Password = "pw-Zq81-topsecret";
    private const string Cookie = "sid=ck-Vx42-topsecret";
    private const string LinkSecret = "link-Ty93-topsecret";
    private const string RedirectSecret = "redir-Lp07-topsecret";

    [Fact]
    public async Task Credentials_reach_the_feeds_origin_and_no_secret_is_stored_printed_or_logged()
    {
        var seen = new ConcurrentQueue<(string Path, string? Authorization, string? Cookie)>();
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + Password));
        LocalServer? server = null;
        server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/moved.xml", () => Results.Redirect($"http://bob:{RedirectSecret}@{server!.BaseUrl.Authority}/private.xml", permanent: true));
            app.MapGet("/private.xml", (HttpContext context) =>
            {
                seen.Enqueue((context.Request.Path, context.Request.Headers.Authorization, context.Request.Headers.Cookie));
                if (context.Request.Headers.Authorization != expectedAuth) return Results.StatusCode(401);
                return Results.Text($"""
                    <?xml version="1.0"?><rss version="2.0"><channel><title>Private</title><link>https://carol:{LinkSecret}@private.example/</link>
                    <item><guid>p-1</guid><title>Members only</title><link>https://dave:{LinkSecret}@private.example/story/1</link>
                    <enclosure url="https://erin:{LinkSecret}@cdn.example/a.mp3" type="audio/mpeg" length="10"/>
                    <description>A story for members of the club about the harbour festival and its boats.</description></item>
                    </channel></rss>
                    """, "application/rss+xml");
            });
            app.MapGet("/denied.xml", () => Results.StatusCode(401));
        });
        await using (server)
        {
            var database = await ControlledDatabase.CreateAsync(host, "secrets");
            var environment = FeedWorkerProcess.Environment(database, [server.Url("moved.xml").AbsoluteUri, server.Url("denied.xml").AbsoluteUri]);
            environment["FeedWorker__Feeds__0__Username"] = "alice";
            environment["FeedWorker__Feeds__0__Password"] = Password;
            environment["FeedWorker__Feeds__0__Headers__Cookie"] = Cookie;
            environment["FeedWorker__Feeds__1__Password"] = Password;
            environment["Logging__LogLevel__Default"] = "Debug";
            environment["Logging__Console__FormatterName"] = "simple";

            var once = await FeedWorkerProcess.RunAsync(environment, "once");
            Assert.True(once.ExitCode == 0, once.ToString());
            Assert.Matches(@"TOTAL \(2 feeds\)\s+1 failed\s+1\s", once.Stdout);
            Assert.Contains("refused the credentials", once.Stdout);
            var second = await FeedWorkerProcess.RunAsync(environment, "once"); // now from redirected_to
            Assert.True(second.ExitCode == 0, second.ToString());
            var feeds = await FeedWorkerProcess.RunAsync(environment, "feeds");
            var opml = await FeedWorkerProcess.RunAsync(environment, "export-opml");
            Assert.True(feeds.ExitCode == 0 && opml.ExitCode == 0, feeds + "\n" + opml);

            // the credentials went to the feed's origin on both runs, with the cookie
            Assert.Equal(2, seen.Count);
            Assert.All(seen, s => Assert.Equal((expectedAuth, Cookie), (s.Authorization, s.Cookie)));
            Assert.Equal(
                [server.Url("private.xml").AbsoluteUri],
                await ControlledDatabase.StringsAsync(database, "SELECT redirected_to FROM feeds WHERE redirected_to IS NOT NULL"));
            Assert.Equal(["https://private.example/story/1"], await ControlledDatabase.StringsAsync(database, "SELECT url FROM articles"));
            Assert.Equal("Unauthorized", Assert.Single(await ControlledDatabase.StringsAsync(database, "SELECT last_error_kind FROM feeds WHERE error_count > 0")));

            var everything = string.Join("\n", once.Stdout, once.Stderr, second.Stdout, second.Stderr, feeds.Stdout, feeds.Stderr,
                opml.Stdout, opml.Stderr, await ControlledDatabase.DumpAsync(database));
            Assert.Contains("Members only", everything); // the search covers the stored articles
            foreach (var secret in new[] { Password, "ck-Vx42", LinkSecret, RedirectSecret, expectedAuth[6..] })
            {
                Assert.DoesNotContain(secret, everything);
            }
        }
    }

    [Fact]
    public async Task Parse_takes_credentials_and_headers_as_options_and_never_prints_them()
    {
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + Password));
        await using var server = await LocalServer.StartAsync(app => app.MapGet("/private.xml", (HttpContext context) =>
            context.Request.Headers.Authorization == expectedAuth && context.Request.Headers.Cookie == Cookie
                ? Results.Text("<rss version=\"2.0\"><channel><title>P</title><item><guid>1</guid><title>Members only</title></item></channel></rss>", "application/rss+xml")
                : Results.StatusCode(401)));

        var ok = await FeedWorkerProcess.RunAsync(new Dictionary<string, string>(),
            "parse", "--username", "alice", "--password", Password, "--header", "Cookie: " + Cookie, server.Url("private.xml").AbsoluteUri);
        var refused = await FeedWorkerProcess.RunAsync(new Dictionary<string, string>(),
            "parse", "--username", "alice", "--password", "x" + Password, server.Url("private.xml").AbsoluteUri);

        Assert.True(ok.ExitCode == 0 && refused.ExitCode == 0, ok + "\n" + refused);
        Assert.Contains("\"ok\":true", ok.Stdout);
        Assert.Contains("Members only", ok.Stdout);
        Assert.Contains("refused the credentials", refused.Stdout);
        foreach (var text in new[] { ok.Stdout, ok.Stderr, refused.Stdout, refused.Stderr })
        {
            Assert.DoesNotContain(Password, text);
            Assert.DoesNotContain("ck-Vx42", text);
        }
    }
}
