using System.Text.RegularExpressions;
using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Parsing;
using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

/// <summary>An item's HTML nested deeper than the limit: flattened once by the parser, with a warning naming the item.</summary>
public sealed class DeepHtmlTests
{
    private const int Depth = 5_000;

    private static readonly string DeepHtml = string.Concat(Enumerable.Repeat("<div>", Depth)) + "deep <b>text</b>";

    [Fact]
    public void Deep_html_in_a_description_is_flattened_with_a_warning_and_keeps_its_text()
    {
        var result = Parse(Rss($"<item><guid>g</guid><title>Deep one</title><description>{System.Security.SecurityElement.Escape(DeepHtml)}</description></item>"));

        var article = Assert.Single(result.Feed!.Articles);
        Assert.Equal("deep text", article.Summary);
        Assert.Equal(HtmlNesting.MaxDepth, Regex.Count(article.ContentHtml!, "<div>"));
        Assert.EndsWith("deep text", article.ContentHtml!); // the b tag is beyond the limit too
        Assert.Contains("item 1 ('Deep one'), <description>: HTML nested deeper than 512 levels was flattened", result.Warnings);
    }

    [Fact]
    public void Deep_html_in_a_json_feed_item_is_flattened_with_a_warning()
    {
        var json = $$"""
            {"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","content_html":"{{DeepHtml}}"}]}
            """;

        var result = Parse(json);

        var article = Assert.Single(result.Feed!.Articles);
        Assert.Equal("deep text", article.Summary);
        Assert.Equal(HtmlNesting.MaxDepth, Regex.Count(article.ContentHtml!, "<div>"));
        Assert.Contains("item 1, content_html: HTML nested deeper than 512 levels was flattened", result.Warnings);
    }

    [Fact]
    public void Shallow_html_gives_no_warning_and_is_kept_as_published()
    {
        const string html = "<ul><li><p>one<li><table><tr><td>two</table></ul>";

        var result = Parse(Rss($"<item><guid>g</guid><description>{System.Security.SecurityElement.Escape(html)}</description></item>"));

        Assert.Equal(html, result.Feed!.Articles[0].ContentHtml);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("flattened", StringComparison.Ordinal));
    }
}
