using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

/// <summary>
/// Most links are ruled out as trackers from their text alone, without building a <see cref="Uri"/>. That shortcut
/// must never answer otherwise than resolving the URL does: these tests compare the two.
/// </summary>
public sealed class TrackerFilterTests
{
    private static readonly Uri?[] Bases =
    [
        null,
        new("https://example.org/blog/post.html"),
        new("https://feeds.feedburner.com/Example"),
        new("http://PIXEL.WP.COM/"),
        new("https://sub.stats.wordpress.com/feed/"),
        new("/relative/base", UriKind.Relative),
        new("file:///srv/feeds/local.xml"),
    ];

    [Theory]
    [InlineData("https://pixel.wp.com/b.gif", "https://example.org/", true)]
    [InlineData("https://example.org/photo.jpg", "https://example.org/", false)]
    [InlineData("/b.gif", "https://pixel.wp.com/feed/", true)]
    [InlineData("//PIXEL.wp.com/b.gif", null, true)]
    [InlineData("https://pixel.wp.com.example.org/b.gif", null, false)]
    [InlineData("https://feeds.feedburner.com/Example", null, false)]
    public void A_url_is_a_tracker_when_its_resolved_host_and_path_are(string url, string? baseUrl, bool tracker)
    {
        var resolvedBase = baseUrl is null ? null : new Uri(baseUrl);
        Assert.Equal(tracker, TrackerFilter.IsResolvedTrackerUrl(url, resolvedBase));
        Assert.Equal(tracker, TrackerFilter.IsTrackerUrl(url, resolvedBase));
    }

    [Fact]
    public void The_shortcut_agrees_with_resolving_on_generated_urls()
    {
        var random = new Random(20261207);
        var urls = Enumerable.Range(0, 20_000).Select(_ => RandomUrl(random)).ToList();
        var trackers = 0;
        var shortcuts = 0;

        foreach (var url in urls)
        {
            foreach (var baseUrl in Bases)
            {
                var resolved = TrackerFilter.IsResolvedTrackerUrl(url, baseUrl);
                Assert.True(resolved == TrackerFilter.IsTrackerUrl(url, baseUrl), $"{url} against {baseUrl}: resolving says {resolved}");
                trackers += resolved ? 1 : 0;
                shortcuts += TrackerFilter.CannotNameTracker(url.AsSpan().Trim(), baseUrl) ? 1 : 0;
            }
        }

        // both answers occur often, and the shortcut decides a good share: otherwise the comparison proves little
        var checks = urls.Count * Bases.Length;
        Assert.InRange(trackers, checks / 20, checks / 2);
        Assert.InRange(shortcuts, checks / 10, checks - trackers);
    }

    private static readonly string[] Schemes = ["https://", "http://", "HTTP://", "//", "ftp://", "javascript:", "https:", "http:\\\\", ""];

    private static readonly string[] Hosts =
    [
        "pixel.wp.com", "PIXEL.WP.COM", "i0.pixel.wp.com", "xpixel.wp.com", "pixel.wp.com.example.org", "pixel.wp.com.",
        "feeds.feedburner.com", "FeedProxy.Google.com", "assets.feedblitz.com", "www.facebook.com", "stats.wordpress.com",
        "example.org", "cdn.example.org", "localhost", "192.168.0.1", "[::1]", "user:pw@pixel.wp.com", "pixel.wp.com@example.org",
        "pixel.wp.com:8080", "%70ixel.wp.com", "pixel%2Ewp.com", "ｐｉｘｅｌ.wp.com", "pixel。wp.com", "pıxel.wp.com", "xn--bcher-kva.example",
        "pixel.wp .com", "pixel.wp\t.com", "",
    ];

    private static readonly string[] Paths =
    [
        "/", "/b.gif?blog=1", "/~r/Example/~4/abc", "/~R/x", "/~ff/Example?d=y", "/tr?id=1", "/TR", "/i/x.png", "/1.0/comments/x/1/",
        "/photo.jpg", "", "?q=pixel.wp.com", "#pixel.wp.com", "/%7Er/x", "\\~r\\x", " /x",
    ];

    private static string RandomUrl(Random random)
    {
        var url = Pick(random, Schemes) + Pick(random, Hosts) + Pick(random, Paths);
        return random.Next(10) switch
        {
            0 => "  " + url + "\n",
            1 => Pick(random, Paths),
            _ => url,
        };
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
