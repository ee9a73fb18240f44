using System.Text;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>Huge and deep inputs: each ends with a bounded result or a clear error within <see cref="IngestionPipeline.Deadline"/>, without a stack overflow.</summary>
[Collection(DeepInputs.Name)]
public sealed class VolumeTests : IDisposable
{
    private readonly IngestionPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task Feed_with_100000_items_is_read_whole()
    {
        var items = new StringBuilder();
        for (var i = 0; i < 100_000; i++) items.Append(IngestionPipeline.Item("g" + i, $"&lt;p&gt;item {i}&lt;/p&gt;"));

        var result = await _pipeline.ProcessAsync(IngestionPipeline.Rss(items.ToString()));

        Assert.True(result.Ok, result.Error);
        Assert.Equal(100_000, result.Feed!.Articles.Count);
        Assert.Equal("g99999", result.Feed.Articles[^1].Guid);
        Assert.Equal("<p>item 99999</p>", result.Feed.Articles[^1].ContentHtml);
        Assert.Equal("item 99999", result.Feed.Articles[^1].ContentText);
    }

    [Fact]
    public async Task Single_10_MiB_item_is_cleaned_whole()
    {
        var paragraph = "<p>" + string.Join(' ', Enumerable.Repeat("word", 200)) + "</p>"; // ~1 KB
        var html = string.Concat(Enumerable.Repeat(paragraph, 10 * 1024 * 1024 / paragraph.Length + 1));
        var content = IngestionPipeline.Rss(IngestionPipeline.Item("big", IngestionPipeline.EscapeXml(html)));
        Assert.True(content.Length > 10 * 1024 * 1024);

        var result = await _pipeline.ProcessAsync(content);

        Assert.True(result.Ok, result.Error);
        var article = Assert.Single(result.Feed!.Articles);
        Assert.Equal(html, article.ContentHtml);
        Assert.Equal((10 * 1024 * 1024 / paragraph.Length + 1) * 200, article.ContentText!.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Length);
    }

    /// <summary>
    /// 100,000 levels of formatting elements through the cleaner alone: bounded (12-33 s on two loaded cores), since
    /// AngleSharp caps the DOM depth. 100,000 nested divs are not: see DeepXmlTests.Html_nested_100000_deep_in_a_description_is_processed (quadratic, 45-75 s).
    /// </summary>
    [Fact]
    public async Task Formatting_elements_nested_100000_deep_are_cleaned_in_bounded_time()
    {
        var html = string.Concat(Enumerable.Repeat("<i><u>", 50_000)) + "deep";

        var clean = await IngestionPipeline.Bounded(() => _pipeline.Cleaner.Clean(html, IngestionPipeline.DocumentUrl));

        Assert.Equal("deep", clean.Text);
        Assert.Contains("<i><u>", clean.Html);
        Assert.True(clean.Html.Length <= 3 * html.Length, $"{clean.Html.Length} characters from {html.Length}");
    }

    internal static void AssertOkOrClearError(ParseResult result, Action<ParsedFeed> whenOk)
    {
        if (result.Ok)
        {
            whenOk(result.Feed!);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Error));
        }
    }
}
