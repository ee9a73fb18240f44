using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

public sealed class PlainTextTests
{
    private readonly HtmlCleaner _cleaner = new();

    private string Text(string html) => _cleaner.Clean(html, null).Text;

    [Fact]
    public void Paragraphs_are_separated_by_exactly_one_blank_line()
    {
        Assert.Equal("One.\n\nTwo.\n\nThree.", Text("<p>One.</p>\n\n\n<p>Two.</p><div><p>Three.</p></div><p> </p>"));
    }

    [Fact]
    public void Headings_list_items_quotes_and_rows_are_paragraphs()
    {
        var html = "<h2>Title</h2><ul><li>first</li><li>second</li></ul><blockquote>quoted</blockquote>"
            + "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>";

        Assert.Equal("Title\n\nfirst\n\nsecond\n\nquoted\n\na b\n\nc", Text(html));
    }

    [Fact]
    public void Br_is_a_line_break_inside_a_paragraph()
    {
        Assert.Equal("line one\nline two\n\nnext", Text("<p>line one<br>line two<br></p><p>next</p>"));
    }

    [Fact]
    public void Whitespace_runs_collapse_and_paragraphs_are_trimmed()
    {
        Assert.Equal("a b c d", Text("<p>\n   a \t b\n\n c <b> d </b>  </p>"));
    }

    [Fact]
    public void Inline_elements_do_not_break_words()
    {
        Assert.Equal("Bold and italic words.", Text("<p><b>Bold</b> and <i>ital</i>ic <a href=\"https://x.example/\">words</a>.</p>"));
    }

    [Fact]
    public void Entities_are_decoded_and_typography_preserved()
    {
        Assert.Equal(
            "It’s “furious” — really… & <fine> Shi’ite",
            Text("<p>It&#8217;s &#8220;furious&#8221; &mdash; really&hellip; &amp; &lt;fine&gt; Shi’ite</p>"));
    }

    [Fact]
    public void Preformatted_text_keeps_its_lines()
    {
        Assert.Equal("intro\n\nline 1\nline 2", Text("<p>intro</p><pre>line 1\nline 2</pre>"));
    }

    [Fact]
    public void Removed_elements_leave_no_text()
    {
        Assert.Equal("kept", Text("<p>kept</p><script>var x = 1;</script><style>p{}</style><div class=\"sharedaddy\">Share this</div><textarea>typed</textarea>"));
    }

    [Fact]
    public void ToText_gives_the_text_of_an_html_summary()
    {
        Assert.Equal(
            "Safe “summary”\n\nsecond",
            _cleaner.ToText("<p onclick=\"x()\">Safe<script>alert(1)</script> &#8220;summary&#8221;<img src=\"https://pixel.wp.com/b.gif\"></p><p>second</p><div class=\"sharedaddy\">Share this</div>"));
    }

    [Fact]
    public void ToText_of_plain_text_is_the_text()
    {
        Assert.Equal("Is the US pulling back from Iraq", _cleaner.ToText("  Is the US pulling back\nfrom Iraq "));
    }
}
