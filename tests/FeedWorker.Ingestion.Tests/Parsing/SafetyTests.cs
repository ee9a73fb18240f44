using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

public class SafetyTests
{
    [Fact]
    public void ExternalEntitiesAreNeverResolved()
    {
        var secret = Path.GetTempFileName();
        File.WriteAllText(secret, "TOP-SECRET");
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE rss [ <!ENTITY leak SYSTEM "{new Uri(secret).AbsoluteUri}"> ]>
                <rss version="2.0"><channel><title>x&leak;y</title></channel></rss>
                """;

            var result = Parse(xml);

            Assert.Equal("xy", result.Feed?.Title);
            Assert.Contains(result.Warnings, w => w.Contains("external entity 'leak'", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void BillionLaughsIsRefusedBeforeExpansion()
    {
        var declarations = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        var xml = $"""
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY lol0 "lol"> {declarations} ]>
            <rss version="2.0"><channel><title>&lol9;</title></channel></rss>
            """;

        var result = Parse(xml);

        Assert.False(result.Ok);
        Assert.Contains("entity-expansion", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void QuadraticBlowupIsRefused()
    {
        var xml = $"""
            <!DOCTYPE rss [ <!ENTITY big "{new string('x', 50_000)}"> ]>
            <rss version="2.0"><channel><title>{string.Concat(Enumerable.Repeat("&big;", 1_000))}</title></channel></rss>
            """;

        var result = Parse(xml);

        Assert.False(result.Ok);
        Assert.Contains("entity-expansion", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SimpleInternalEntitiesAreExpanded()
    {
        var xml = """
            <!DOCTYPE rss [ <!ENTITY site "Example &#38; Co"> ]>
            <rss version="2.0"><channel><title>&site;</title></channel></rss>
            """;

        Assert.Equal("Example & Co", ParseOk(xml).Title);
    }

    [Fact]
    public void ContentEncodedIsNotDecodedTwice()
    {
        var feed = ParseOk(Rss("<item><content:encoded><![CDATA[<pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>]]></content:encoded></item>",
            rssAttributes: "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""));

        Assert.Equal("<pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>", feed.Articles[0].ContentHtml);
    }
}
