using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

public class MalformedXmlTests
{
    /// <summary>
    /// The lenient reader attaches an element to its parent when it closes: text and elements keep document order
    /// at every depth, an end tag closes everything opened inside it, and later items are read.
    /// </summary>
    [Fact]
    public void Deep_unclosed_markup_read_leniently_keeps_its_order_and_the_items_after_it()
    {
        var unclosed = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"<span>{i} "));
        var feed = ParseOk(Rss($"<item><guid>deep</guid><description>a &amp; {unclosed}end</description><title>T</title></item>"
            + "<item><guid>next</guid><description>x<b>y</b>z</description></item>"));

        Assert.Equal(["deep", "next"], feed.Articles.Select(a => a.Guid));
        Assert.Equal("T", feed.Articles[0].Title);
        Assert.Equal("a & " + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{i} ")) + "end", feed.Articles[0].Summary);
        Assert.Equal("x<b>y</b>z", feed.Articles[1].ContentHtml);
    }

    [Fact]
    public void HtmlNamedEntitiesBecomeCharacters()
    {
        var feed = ParseOk(Rss("<item><title>a&nbsp;b &eacute; &mdash; &hellip; &bigstar; &NotEqualTilde;</title></item>"));

        Assert.Equal("a\u00a0b é — … ★ \u2242\u0338", feed.Articles[0].Title);
    }

    [Fact]
    public void UnescapedAmpersandsAreKept()
    {
        var feed = ParseOk(Rss("<item><title>AT&T & friends</title><link>http://example.com/?a=1&b=2</link></item>"));

        Assert.Equal("AT&T & friends", feed.Articles[0].Title);
        Assert.Equal("http://example.com/?a=1&b=2", feed.Articles[0].Url);
    }

    [Fact]
    public void ControlCharactersAndTheirReferencesAreRemoved()
    {
        var result = Parse(Rss("<item><title>a\u0001b&#x0B;c&#12;d</title></item>"));

        Assert.Equal("abcd", result.Feed?.Articles[0].Title);
        Assert.Contains(result.Warnings, w => w.Contains("not allowed in XML", StringComparison.Ordinal));
    }

    /// <summary>
    /// Escaped HTML is made of XML's five predefined references, which need no repair; a character XML forbids right after
    /// one is still found and removed, and the document is read strictly. The same holds after an HTML entity has set
    /// the repair off earlier in the document.
    /// </summary>
    [Theory]
    [InlineData("", "")]
    [InlineData("&nbsp;", "\u00a0")]
    public void A_forbidden_character_right_after_a_predefined_reference_is_removed(string before, string read)
    {
        var result = Parse(Rss($"<item><description>{before}&lt;p&gt;Q&amp;amp;A&amp;\u0001 &quot;x&quot; &apos;y&apos;&lt;/p&gt;</description></item>"));

        Assert.Equal($"{read}<p>Q&amp;A& \"x\" 'y'</p>", result.Feed?.Articles[0].ContentHtml);
        Assert.Equal(["1 character(s) not allowed in XML were removed"], result.Warnings);
    }

    /// <summary>The predefined names are case-sensitive: &amp;LT; is HTML's name for "&lt;", repaired before XML reads it.</summary>
    [Fact]
    public void Predefined_names_in_other_cases_are_repaired_as_html_names()
    {
        var result = Parse(Rss("<item><description>&LT;p&GT;x&AMP;y&QUOT;&LT;/p&GT;</description></item>"));

        Assert.Equal("<p>x&y\"</p>", result.Feed?.Articles[0].ContentHtml);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void GarbageBeforeTheXmlDeclarationIsSkipped()
    {
        var result = Parse("\r\n  junk\n" + Rss("<item><title>x</title></item>"));

        Assert.Equal("x", result.Feed?.Articles[0].Title);
        Assert.Contains(result.Warnings, w => w.Contains("before the first tag", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<?xml version=\"1.1\"?>")]
    [InlineData("<?xml encoding=\"utf-8\" version=\"1.0\"?>")]
    [InlineData("\r\n  junk\n<?xml version=\"1.0\"?>")]
    public void A_declaration_a_strict_reader_refuses_is_skipped_and_the_document_read_strictly(string start)
    {
        var result = Parse(start + "<rss version=\"2.0\"><channel><title>T</title><item><title>x</title></item></channel></rss>");

        Assert.Equal("x", result.Feed?.Articles[0].Title);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("malformed", StringComparison.Ordinal));
    }

    [Fact]
    public void Rss091WithTheNetscapeDoctypeParses()
    {
        const string xml = """
            <?xml version="1.0" encoding="ISO-8859-1" ?>
            <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
            <rss version="0.91"><channel><title>Old &amp; gold</title><item><title>One&nbsp;item</title><link>http://example.com/1</link></item></channel></rss>
            """;

        var feed = ParseOk(xml);

        Assert.Equal(Ingestion.Parsing.FeedFormat.Rss09x, feed.Format);
        Assert.Equal("Old & gold", feed.Title);
        Assert.Equal("One\u00a0item", feed.Articles[0].Title);
    }

    [Fact]
    public void TruncatedDocumentKeepsTheCompleteItemsWithAWarning()
    {
        var xml = Rss("<item><title>one</title></item><item><title>two</title></item>") is var full
            ? full[..full.IndexOf("</item><item>", StringComparison.Ordinal)] + "</item><item><title>tw"
            : "";

        var result = Parse(xml);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(["one"], result.Feed!.Articles.Select(a => a.Title));
        Assert.Contains(result.Warnings, w => w.Contains("truncated", StringComparison.Ordinal));
    }

    [Fact]
    public void BrokenHtmlInsideADescriptionDoesNotLoseTheFeed()
    {
        var result = Parse(Rss("<item><title>a</title><description>Hello <b>bold <i>mixed</b> text</description></item><item><title>b</title></item>"));

        Assert.True(result.Ok, result.Error);
        Assert.Equal(["a", "b"], result.Feed!.Articles.Select(a => a.Title));
        Assert.Contains("mixed", result.Feed.Articles[0].Summary, StringComparison.Ordinal);
        Assert.Contains(result.Warnings, w => w.Contains("malformed XML", StringComparison.Ordinal));
    }

    [Fact]
    public void UndeclaredNamespacePrefixIsReadByItsUsualMeaning()
    {
        var result = Parse("<rss version=\"2.0\"><channel><item><title>x</title><dc:creator>Ann</dc:creator></item></channel></rss>");

        Assert.Equal("Ann", result.Feed?.Articles[0].Author);
    }

    [Fact]
    public void RssWithoutVersionAttributeParses()
    {
        var feed = ParseOk("<rss><channel><title>No version</title><item><title>i</title></item></channel></rss>");

        Assert.Equal("No version", feed.Title);
        Assert.Single(feed.Articles);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("just text, no markup")]
    [InlineData("<unknown><x/></unknown>")]
    public void NonFeedsFailWithAReason(string text)
    {
        var result = Parse(text);

        Assert.False(result.Ok);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }
}
