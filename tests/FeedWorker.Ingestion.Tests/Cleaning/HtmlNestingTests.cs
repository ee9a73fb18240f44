using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

/// <summary>
/// The depth limit in front of the HTML parser: deep markup is flattened beyond 512 levels with its text kept, and
/// what the parser then builds stays within the limit for every way of nesting deep; ordinary markup is untouched.
/// </summary>
public sealed partial class HtmlNestingTests
{
    private const int Levels = 2_000;

    /// <summary>
    /// A limit below AngleSharp's own cap on the tree it builds (~510 levels; its stack of open elements, the cost,
    /// is not capped), so that the depth of the parsed tree shows what the limit let through.
    /// </summary>
    private const int Limit = 100;

    private static string Repeat(string markup, int count) => new StringBuilder().Insert(0, markup, count).ToString();

    [Fact]
    public void Deep_nesting_is_flattened_beyond_the_limit_and_every_text_is_kept()
    {
        var html = string.Concat(Enumerable.Range(0, Levels).Select(i => $"<div class=\"l{i}\">{i} "))
            + string.Concat(Enumerable.Repeat("</div>", Levels)) + "after";

        var flat = HtmlNesting.Flatten(html, out var flattened);

        Assert.True(flattened);
        Assert.Equal(HtmlNesting.MaxDepth, Regex.Count(flat, "<div"));
        Assert.Equal(HtmlNesting.MaxDepth, Regex.Count(flat, "</div>"));
        Assert.Equal(Tags().Replace(html, ""), Tags().Replace(flat, ""));
        // the shallow part keeps its markup as written
        Assert.StartsWith(string.Concat(Enumerable.Range(0, HtmlNesting.MaxDepth).Select(i => $"<div class=\"l{i}\">{i} ")), flat);
        Assert.EndsWith("</div>after", flat);
    }

    /// <summary>
    /// Each way of making the parser nest deep without nesting tags in order: the flattened markup must parse
    /// to a tree within the limit (the small margin is implied elements such as tbody and re-opened formatting).
    /// </summary>
    [Theory]
    [InlineData("<div>")]
    [InlineData("<div/>")]
    [InlineData("<span>")]
    [InlineData("<b>")]
    [InlineData("<span><div></span>")]
    [InlineData("<q><div></q>")]
    [InlineData("<li><ul></li>")]
    [InlineData("<li><section>")]
    [InlineData("<div><table></div>")]
    [InlineData("<b><div></b>")]
    [InlineData("<svg><div></svg>")]
    [InlineData("<svg><div/>")]
    [InlineData("<table><tr><td>")]
    [InlineData("<td><table>")]
    [InlineData("<ul><li><ol><li>")]
    [InlineData("<a><div><a>")]
    [InlineData("<!-- x --><div>")]
    [InlineData("<div title='>'>")]
    public void Every_way_of_nesting_deep_parses_within_the_limit(string unit)
    {
        var html = Repeat(unit + "t", Levels);

        var flat = HtmlNesting.Flatten(html, out var flattened, Limit);

        Assert.True(flattened);
        Assert.InRange(ParsedDepth(flat), 1, Limit + 2);
        Assert.Equal(Levels, Regex.Count(Tags().Replace(flat, ""), "t"));
    }

    /// <summary>Formatting elements closed by a paragraph end are re-opened by the parser in the next one: they count.</summary>
    [Fact]
    public void Formatting_elements_reopened_by_the_parser_count_towards_the_depth()
    {
        var html = string.Concat(Enumerable.Range(0, Levels).Select(i => $"<p><b class=\"k{i}\">x</p>"));

        var flat = HtmlNesting.Flatten(html, out var flattened, Limit);

        Assert.True(flattened);
        Assert.InRange(ParsedDepth(flat), 1, Limit + 2);
    }

    /// <summary>The parser re-opens at most three alike formatting elements, so an unclosed bold heading repeated down a page stays shallow.</summary>
    [Fact]
    public void Alike_formatting_elements_reopened_again_and_again_count_at_most_three_times()
    {
        var html = string.Concat(Enumerable.Range(0, 2 * Limit).Select(_ => "<p><b>Heading</p><p>text</p>")) + "<p><a href=\"https://example.com/\">final link</a></p>";

        var same = HtmlNesting.Flatten(html, out var flattened, Limit);

        Assert.False(flattened);
        Assert.Same(html, same);
        Assert.InRange(ParsedDepth(html), 1, 10);
    }

    [Fact]
    public void Stray_end_tags_do_not_hide_the_depth_that_follows()
    {
        var html = Repeat("</div>", Levels) + Repeat("<div>", Levels) + "deep";

        var flat = HtmlNesting.Flatten(html, out var flattened, Limit);

        Assert.True(flattened);
        Assert.Equal(Limit, ParsedDepth(flat));
    }

    /// <summary>Realistic markup, however long, is returned as the same string: only nesting counts, not size.</summary>
    [Theory]
    [InlineData("<p>paragraph", Levels)] // unclosed paragraphs close each other
    [InlineData("<p><b>bold</b> text</p>", Levels)]
    [InlineData("<ul><li>one<li>two<li>three</ul>", Levels)]
    [InlineData("<dl><dt>term<dd>definition<dt>term<dd>definition</dl>", Levels)]
    [InlineData("<table><tr><td>a<td>b<tr><td>c<td>d</table>", Levels)]
    [InlineData("<select><option>a<option>b</select>", Levels)]
    [InlineData("<h2>title<h3>subtitle</h3>", Levels)]
    [InlineData("<a href=\"https://example.org/\">link<a href=\"https://example.org/2\">next", Levels)]
    [InlineData("<br><br/><img src=\"https://example.org/i.png\"><hr><wbr><input>", Levels)]
    [InlineData("<svg viewBox=\"0 0 10 10\"><path d=\"M0 0\"/><circle r=\"1\"/></svg>", Levels)]
    [InlineData("<math><mi>x</mi><mo>=</mo><mn>1</mn></math>", Levels)]
    [InlineData("<!-- <div><div><div> -->", Levels)]
    [InlineData("<script>var s = '<div><div><div>';</script>", Levels)]
    [InlineData("<style>p > div { }</style><textarea><div><div></textarea>", Levels)]
    [InlineData("<span title=\"<div><div>\">t</span>", Levels)]
    public void Realistic_markup_is_left_unchanged(string unit, int count)
    {
        var html = Repeat(unit, count);

        var result = HtmlNesting.Flatten(html, out var flattened);

        Assert.False(flattened);
        Assert.Same(html, result);
    }

    [Fact]
    public void Nested_lists_and_tables_of_realistic_depth_are_left_unchanged()
    {
        var lists = Repeat("<ul><li>level", 60) + Repeat("</li></ul>", 60);
        var tables = Repeat("<table><tbody><tr><td>cell", 40) + Repeat("</td></tr></tbody></table>", 40);
        var html = Repeat(lists + tables, 20);

        var result = HtmlNesting.Flatten(html, out var flattened);

        Assert.False(flattened);
        Assert.Same(html, result);
    }

    [Fact]
    public void The_seed_article_page_is_left_unchanged()
    {
        var html = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seeds", "antiwar-article-page.html"));

        var result = HtmlNesting.Flatten(html, out var flattened);

        Assert.False(flattened);
        Assert.Same(html, result);
    }

    [Fact]
    public void The_cleaner_keeps_the_text_of_deep_markup_and_cuts_its_depth()
    {
        var html = Repeat("<div>", 100_000) + "deep";

        var clean = new HtmlCleaner().Clean(html, null);

        Assert.Equal("deep", clean.Text);
        Assert.Equal(HtmlNesting.MaxDepth, Regex.Count(clean.Html, "<div>"));
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    /// <summary>How deep the HTML5 parser nests the markup inside body (the cost the limit bounds).</summary>
    private static int ParsedDepth(string html)
    {
        var body = new HtmlParser().ParseDocument("<!DOCTYPE html><body>" + html).Body!;
        var deepest = 0;
        var pending = new Stack<(IElement Element, int Depth)>();
        pending.Push((body, 0));
        while (pending.TryPop(out var item))
        {
            deepest = Math.Max(deepest, item.Depth);
            foreach (var child in item.Element.Children)
            {
                pending.Push((child, item.Depth + 1));
            }
        }
        return deepest;
    }
}
