using System.Text;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>
/// Inputs that make naive scanners or backtracking regular expressions blow up (runs of '&amp;' and '&lt;',
/// unterminated comments, CDATA, declarations, megabyte attributes, endlessly reopened links), about 1 MB each,
/// both raw in the feed's XML and as the HTML of an item. Each must end Ok or with a clear error within the deadline.
/// </summary>
public sealed class PathologicalTextTests : IDisposable
{
    private const int Size = 1024 * 1024;

    private readonly IngestionPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    public static TheoryData<string> Patterns => Data(PatternNames);

    private static readonly string[] PatternNames =
    [
        "amp-run", "lt-run", "unterminated-comment", "unterminated-cdata", "unterminated-doctype", "unterminated-pi",
        "megabyte-attribute", "unterminated-attribute", "reopened-links", "char-ref-prefixes", "hex-ref-prefixes",
        "named-ref-without-semicolon", "end-tag-prefixes", "cdata-ends", "many-attributes", "entity-like-names", "nested-links",
    ];

    private static TheoryData<string> Data(IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (var name in names) data.Add(name);
        return data;
    }

    private static string Make(string pattern) => pattern switch
    {
        "amp-run" => new string('&', Size),
        "lt-run" => new string('<', Size),
        "unterminated-comment" => "<!--" + new string('-', Size),
        "unterminated-cdata" => "<![CDATA[" + Repeat("]]", Size / 2),
        "unterminated-doctype" => "<!DOCTYPE " + Repeat("[<!ENTITY ", Size / 10),
        "unterminated-pi" => "<?" + Repeat("?", Size),
        "megabyte-attribute" => "<a href=\"http://127.0.0.2/" + new string('x', Size) + "\">link</a>",
        "unterminated-attribute" => "<a title=\"" + Repeat("<b a=\"", Size / 6),
        "reopened-links" => Repeat("<a href=", Size / 8),
        "char-ref-prefixes" => Repeat("&#", Size / 2),
        "hex-ref-prefixes" => Repeat("&#x", Size / 3),
        "named-ref-without-semicolon" => Repeat("&amp", Size / 4),
        "end-tag-prefixes" => Repeat("</", Size / 2),
        "cdata-ends" => Repeat("]]>", Size / 3),
        "many-attributes" => "<p " + string.Concat(Enumerable.Range(0, Size / 12).Select(i => $"a{i}=\"v\" ")) + ">text</p>",
        "entity-like-names" => Repeat("&a", Size / 2) + ";",
        // As HTML each link implicitly closes the last (the adoption agency runs every time); raw in the XML it is
        // DeepXmlTests' crash case, so the raw-XML theory leaves it out.
        "nested-links" => Repeat("<a href=x>", Size / 10),
        _ => throw new ArgumentOutOfRangeException(nameof(pattern)),
    };

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    /// <summary>Raw in the XML, unclosed links overflow the stack: DeepXmlTests runs that case in a child process.</summary>
    public static TheoryData<string> RawPatterns => Data(PatternNames.Where(p => p != "nested-links"));

    /// <summary>The pattern raw in the XML, inside an item's description: the document is broken on purpose.</summary>
    [Theory]
    [MemberData(nameof(RawPatterns))]
    public async Task Raw_in_the_xml_ends_in_a_result_or_a_clear_error(string pattern)
    {
        var content = IngestionPipeline.Rss($"<item><guid>first</guid><title>First</title></item><item><guid>g</guid><description>{Make(pattern)}</description></item>");

        var result = await _pipeline.ProcessAsync(content);

        AssertOkOrClearError(result);
    }

    /// <summary>The pattern as an item's HTML (escaped in the XML, so the document is valid): it reaches the cleaner as written.</summary>
    [Theory]
    [MemberData(nameof(Patterns))]
    public async Task As_item_html_is_cleaned_to_a_bounded_result(string pattern)
    {
        var html = Make(pattern);
        var content = IngestionPipeline.Rss(IngestionPipeline.Item("g", IngestionPipeline.EscapeXml(html)));

        var result = await _pipeline.ProcessAsync(content);

        Assert.True(result.Ok, result.Error);
        var article = Assert.Single(result.Feed!.Articles);
        // Cleaning escapes text (& becomes &amp;), makes links absolute and adds rel: growth per character is bounded.
        Assert.True(article.ContentHtml is null || article.ContentHtml.Length <= 12 * html.Length, $"{article.ContentHtml?.Length} characters from {html.Length}");
        Assert.DoesNotContain("<script", article.ContentHtml ?? "", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The same through the cleaner alone, as the full-content path uses it.</summary>
    [Theory]
    [MemberData(nameof(Patterns))]
    public async Task Cleaner_alone_returns_a_bounded_result(string pattern)
    {
        var html = Make(pattern);

        var clean = await IngestionPipeline.Bounded(() => _pipeline.Cleaner.Clean(html, IngestionPipeline.DocumentUrl));

        Assert.True(clean.Html.Length <= 12 * html.Length, $"{clean.Html.Length} characters from {html.Length}");
        Assert.True(clean.Text.Length <= html.Length);
    }

    private static void AssertOkOrClearError(ParseResult result)
    {
        if (!result.Ok)
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Error));
            Assert.True(result.Error!.Length < 10_000, "the error repeats the input"); // an error names the cause, not the megabyte
        }
        else
        {
            Assert.NotEmpty(result.Feed!.Articles);
        }
    }
}
