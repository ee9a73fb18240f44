using System.Text;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests.Parsing;

internal static class ParserTestHelpers
{
    public static readonly Uri DocumentUrl = new("http://example.com/blog/feed.xml");

    public static ParseResult Parse(string text, string? contentType = null, Uri? url = null) =>
        Parse(Encoding.UTF8.GetBytes(text), contentType, url);

    public static ParseResult Parse(byte[] bytes, string? contentType = null, Uri? url = null) =>
        new FeedParser().Parse(new FeedDocument(bytes, contentType, url ?? DocumentUrl));

    public static ParsedFeed ParseOk(string text, string? contentType = null, Uri? url = null)
    {
        var result = Parse(text, contentType, url);
        Assert.True(result.Ok, result.Error);
        return result.Feed!;
    }

    public static string Rss(string items, string channel = "", string rssAttributes = "") =>
        $"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\" {rssAttributes}><channel><title>T</title><link>http://example.com/</link>{channel}{items}</channel></rss>";
}
