using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

public class HtmlPageTests
{
    [Fact]
    public void HtmlPageFailsNamingTheFeedsItLinksTo()
    {
        const string html = """
            <!DOCTYPE html>
            <html><head><title>Blog</title>
            <link rel="alternate" type="application/rss+xml" href="/feed.rss">
            <link rel="alternate" type="application/atom+xml" href="https://cdn.example/atom.xml">
            <link rel="alternate" type="application/feed+json" href="feed.json">
            <link rel="stylesheet" href="/style.css">
            </head><body><p>Hello &nbsp; world</p></body></html>
            """;

        var result = Parse(html, "text/html", new Uri("http://example.com/blog/index.html"));

        Assert.False(result.Ok);
        Assert.Contains("HTML page", result.Error, StringComparison.Ordinal);
        Assert.Contains("http://example.com/feed.rss", result.Error, StringComparison.Ordinal);
        Assert.Contains("https://cdn.example/atom.xml", result.Error, StringComparison.Ordinal);
        Assert.Contains("http://example.com/blog/feed.json", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("style.css", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlPageWithoutFeedLinksSaysSo()
    {
        var result = Parse("<html><body>nothing</body></html>");

        Assert.False(result.Ok);
        Assert.Contains("links to no feed", result.Error, StringComparison.Ordinal);
    }
}
