using System.Text;

namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>
/// XML nested 100,000 levels deep, run in a child worker process (see <see cref="ChildProcessPipeline"/>):
/// every outcome but a crash or a hang is fine, an Ok result or a clear error.
/// </summary>
[Collection(DeepInputs.Name)]
public sealed class DeepXmlTests
{
    private const int Depth = 100_000;

    /// <summary>Deep elements beside the content (an unknown extension): the item is still read.</summary>
    [Fact]
    public async Task Deep_extension_element_in_an_item_does_not_crash_the_worker()
    {
        var deep = Nest("x:n", Depth, "deep");
        // a guard, not a speed check: this input costs 20-30 s of CPU in `parse` (issue 18), more on a loaded machine
        var outcome = await ChildProcessPipeline.ParseAsync(IngestionPipeline.Rss(
            $"<item xmlns:x=\"urn:x\"><guid>g</guid><description>text</description>{deep}</item>"), TimeSpan.FromMinutes(4));

        AssertNoCrash(outcome);
    }

    /// <summary>
    /// Regression: well-formed XHTML markup inside a description or an Atom type="xhtml" content is written back
    /// to HTML (FeedText.InnerHtml); a recursive walk overflowed the stack at this depth and killed the worker process
    /// (exit 134). 50,000 levels: deep enough to overflow any recursive walk, while 100,000 levels would spend most
    /// of the deadline in the parser's quadratic cost.
    /// </summary>
    [Theory]
    [InlineData("rss")]
    [InlineData("atom-xhtml")]
    public async Task Deep_markup_in_the_content_does_not_crash_the_worker(string format)
    {
        var feed = format == "rss"
            ? IngestionPipeline.Rss($"<item><guid>g</guid><description>{Nest("b", Depth / 2, "deep")}</description></item>")
            : Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title><id>urn:t</id>"
                + "<entry><id>urn:e</id><title>E</title><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
                + Nest("span", Depth / 2, "deep") + "</div></content></entry></feed>");

        var outcome = await ChildProcessPipeline.ParseAsync(feed);

        AssertNoCrash(outcome);
    }

    /// <summary>
    /// Regression: the same through the lenient reader: 100,000 unclosed &lt;a href=x&gt; (malformed, so read
    /// leniently) become 100,000 nested elements, which once overflowed the stack in FeedText, and then cost the
    /// lenient reader ~100 s of CPU (LINQ to XML walks to the root on every add to an attached element).
    /// </summary>
    [Fact]
    public async Task Unclosed_links_read_leniently_do_not_crash_the_worker()
    {
        var links = new StringBuilder().Insert(0, "<a href=x>", Depth).ToString();
        var outcome = await ChildProcessPipeline.ParseAsync(IngestionPipeline.Rss(
            $"<item><guid>first</guid><title>First</title></item><item><guid>g</guid><description>{links}</description></item>"));

        AssertNoCrash(outcome);
        Assert.True(outcome.Ok, outcome.Describe());
        Assert.Equal(2, outcome.Output!.Value.GetProperty("feed").GetProperty("articles").GetArrayLength());
    }

    /// <summary>
    /// HTML (escaped in the XML) nested 100,000 divs deep in a description. AngleSharp's tree builder scans its whole
    /// stack of open elements for every start tag (quadratic: this item cost 42-50 s of CPU); the markup is now
    /// flattened beyond 512 levels before any HTML parser reads it (see HtmlNesting), with a warning. The hang
    /// guard stays generous: the child worker is killed at it instead of burning CPU under the other tests.
    /// </summary>
    [Fact]
    public async Task Html_nested_100000_deep_in_a_description_is_flattened_and_keeps_its_text()
    {
        var html = string.Concat(Enumerable.Repeat("<div>", Depth)) + "deep";

        var outcome = await ChildProcessPipeline.ParseAsync(
            IngestionPipeline.Rss(IngestionPipeline.Item("deep", IngestionPipeline.EscapeXml(html))), TimeSpan.FromMinutes(3));

        AssertNoCrash(outcome);
        Assert.True(outcome.Ok, outcome.Describe());
        var output = outcome.Output!.Value;
        var article = output.GetProperty("feed").GetProperty("articles")[0];
        Assert.Equal("deep", article.GetProperty("contentText").GetString());
        Assert.Equal(512, article.GetProperty("contentHtml").GetString()!.Split("<div>").Length - 1);
        Assert.Contains(output.GetProperty("warnings").EnumerateArray(),
            w => w.GetString()!.EndsWith("HTML nested deeper than 512 levels was flattened", StringComparison.Ordinal));
    }

    private static string Nest(string name, int depth, string text) =>
        string.Concat(Enumerable.Repeat($"<{name}>", depth)) + text + string.Concat(Enumerable.Repeat($"</{name}>", depth));

    private static void AssertNoCrash(ChildProcessPipeline.Outcome outcome)
    {
        Assert.False(outcome.Crashed, "the worker process crashed: " + outcome.Describe());
        Assert.True(outcome.Output is not null, "the worker printed nothing: " + outcome.Describe());
        Assert.True(outcome.Ok || !string.IsNullOrWhiteSpace(outcome.Error), "neither a feed nor an error");
    }
}
