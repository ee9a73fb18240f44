using AngleSharp.Html.Parser;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests.Parsing;

/// <summary>Titles and summaries read without the HTML parser read exactly as the parser reads them.</summary>
public sealed class CharacterReferenceTests
{
    private readonly HtmlParser _parser = new();

    [Theory]
    [InlineData("Rock &#8217;n&#8217;roll returns [&#8230;]", "Rock ’n’roll returns […]")]
    [InlineData("Q&amp;A: &ldquo;Why?&rdquo; &mdash; a &#x1F600; answer", "Q&A: “Why?” — a 😀 answer")]
    [InlineData("Fish & chips &&amp; more &", "Fish & chips && more &")]
    [InlineData("  two\r\n\tlines&nbsp;here  ", "two lines\u00A0here")]
    public void Text_with_references_is_decoded_without_the_parser(string title, string expected)
    {
        Assert.NotNull(CharacterReferences.TryDecode(title));
        Assert.Equal(expected, FeedText.HtmlToText(_parser, title));
        Assert.Equal(expected, FeedText.ParsedText(_parser, title));
    }

    /// <summary>What the HTML5 rules read otherwise than as written is left to the parser.</summary>
    [Theory]
    [InlineData("a <b>bold</b> &amp; move")]
    [InlineData("no semicolon &amp here")]
    [InlineData("legacy &copy2024;")]
    [InlineData("AT&T; stock")]
    [InlineData("C1 &#150; dash")]
    [InlineData("nul &#0; and &#xD800; and &#x110000;")]
    [InlineData("noncharacter &#xFFFE;")]
    [InlineData("named &hearts; is not in the list")]
    [InlineData("a \0 nul &amp; more")]
    [InlineData("x&;y")]
    [InlineData("empty &#; and &#x;")]
    public void Anything_else_goes_to_the_parser(string title)
    {
        Assert.Null(CharacterReferences.TryDecode(title));
        Assert.Equal(FeedText.ParsedText(_parser, title), FeedText.HtmlToText(_parser, title));
    }

    /// <summary>Every piece the decoder accepts, in random order: each text it decodes reads as the parser reads it.</summary>
    [Fact]
    public void Decoded_text_equals_what_the_parser_gives_for_mixed_references()
    {
        string[] pieces =
        [
            "word", " ", "  ", "\n", "\r\n", "\t", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&hellip;", "&mdash;",
            "&ndash;", "&lsquo;", "&rsquo;", "&ldquo;", "&rdquo;", "&laquo;", "&raquo;", "&copy;", "&reg;", "&trade;", "&euro;",
            "&middot;", "&bull;", "&#8217;", "&#8230;", "&#x2019;", "&#X201c;", "&#0039;", "&#32;", "&#126;", "&#160;", "&#55295;",
            "&#xE000;", "&#xFDCF;", "&#xFDF0;", "&#xFFFD;", "&#x10000;", "&#x1F600;", "&#x10FFFD;", "& ", "&&", "&;", "&.", "é",
            "\u00A0", ">", "\"", "'", "[", "]", "]]>", ";",
        ];
        var random = new Random(18);
        var decoded = 0;
        for (var i = 0; i < 2_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            if (!FeedText.LooksLikeHtml(text) || CharacterReferences.TryDecode(text) is null)
            {
                continue;
            }
            decoded++;
            Assert.True(FeedText.ParsedText(_parser, text) == FeedText.HtmlToText(_parser, text), $"'{text}'");
        }
        Assert.True(decoded > 1_000, $"only {decoded} of 2,000 texts were decoded without the parser");
    }

    [Theory]
    [InlineData("<p>Reported were transport [&#8230;]</p>", "Reported were transport […]")]
    [InlineData(" \r\n<P>Two\r\nlines &amp; more</p>\n\t", "Two lines & more")]
    [InlineData("<p>  Advertisement </p>", "")]
    [InlineData("<p>Sponsored\r\n</p>", "")]
    [InlineData("<p>Advertising pays for this story.</p>", "Advertising pays for this story.")]
    [InlineData("<p></p>", "")]
    public void A_summary_of_one_bare_paragraph_is_read_without_the_parser(string summary, string expected)
    {
        Assert.Equal(expected, FeedText.OneParagraphText(summary));
        Assert.Equal(expected, FeedText.ParsedText(_parser, summary));
    }

    /// <summary>81 characters as written, 47 as the parser reads them (CR LF is one LF): short enough to be the label.</summary>
    [Fact]
    public void A_label_is_measured_with_line_breaks_read_as_the_parser_reads_them()
    {
        var summary = "<p>Advertisement" + string.Concat(Enumerable.Repeat("\r\n", 34)) + "</p>";
        Assert.Equal("", FeedText.ParsedText(_parser, summary));
        Assert.Equal("", FeedText.OneParagraphText(summary));
    }

    /// <summary>Attributes, a second element, a link or a tag inside: the shape is not one bare paragraph.</summary>
    [Theory]
    [InlineData("<p class=\"ad\">Story</p>")]
    [InlineData("<p>One</p><p>Two</p>")]
    [InlineData("<p>A <a href=\"https://example.org/\">link</a></p>")]
    [InlineData("<p>Text</p> and more")]
    [InlineData("<p>no semicolon &amp here</p>")]
    [InlineData("<pre>Text</pre>")]
    [InlineData("\u00A0<p>Text</p>")]
    public void Other_summaries_go_to_the_parser(string summary)
    {
        Assert.Null(FeedText.OneParagraphText(summary));
        Assert.Equal(FeedText.ParsedText(_parser, summary), FeedText.HtmlToText(_parser, summary));
    }

    /// <summary>Random one-paragraph summaries, some of them labels, some longer than a label may be: each reads as the parser reads it.</summary>
    [Fact]
    public void One_paragraph_text_equals_what_the_parser_gives()
    {
        string[] pieces =
        [
            "word", "Advertisement", "sponsored", "ad", "story continues below advertisement", "Advertisement - scroll down",
            " ", "  ", "\n", "\r\n", "\r", "\t", "\f", "&amp;", "&nbsp;", "&#8230;", "&#x1F600;", "[", "]", "& ", ";", "é", "\u00A0",
            "A sentence long enough that a label can no longer be the whole of the text it stands in.",
        ];
        string[] edges = ["", " ", "\n", "\r\n", "\t ", "\f"];
        var random = new Random(1801);
        var read = 0;
        for (var i = 0; i < 2_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => pieces[random.Next(pieces.Length)]));
            var summary = edges[random.Next(edges.Length)] + (random.Next(4) == 0 ? "<P>" : "<p>") + text + "</p>" + edges[random.Next(edges.Length)];
            if (FeedText.OneParagraphText(summary) is not { } fast)
            {
                continue;
            }
            read++;
            Assert.True(FeedText.ParsedText(_parser, summary) == fast, $"'{summary}'");
        }
        Assert.True(read > 1_500, $"only {read} of 2,000 summaries were read without the parser");
    }
}
