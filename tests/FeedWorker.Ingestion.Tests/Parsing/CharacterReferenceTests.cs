using AngleSharp.Html.Parser;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests.Parsing;

/// <summary>Titles and summaries decoded without the HTML parser read exactly as the parser reads them.</summary>
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
}
