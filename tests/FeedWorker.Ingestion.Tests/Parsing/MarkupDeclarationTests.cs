using FeedWorker.Ingestion.Cleaning;
using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

/// <summary>
/// Markup declarations in HTML fields read as feeds mean them: "&lt;!" that opens nothing is text, and a comment
/// left unterminated ends at the next "&gt;" instead of hiding the rest. Titles and summaries (plain text) and the
/// cleaned body read the same.
/// </summary>
public sealed class MarkupDeclarationTests
{
    private static string AtomTitle(string escapedHtml) =>
        ParseOk($"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"html\">{escapedHtml}</title></feed>").Title!;

    [Theory]
    [InlineData("&lt;!DOCTYPE ~", "<!DOCTYPE ~")]
    [InlineData("&lt;!' quoted", "<!' quoted")]
    [InlineData("1 &lt;![CDATA[ 2", "1 <![CDATA[ 2")]
    [InlineData("a&lt;!-- closed --&gt;b", "ab")]
    [InlineData("a&lt;!----&gt;b&lt;!--&gt;c", "abc")]
    public void Html_title_keeps_text_that_only_looks_like_a_declaration(string escapedHtml, string title)
    {
        Assert.Equal(title, AtomTitle(escapedHtml));
    }

    [Fact]
    public void Unterminated_comment_in_a_title_ends_at_the_next_angle_bracket_and_scripts_stay_out()
    {
        Assert.Equal("harmless", AtomTitle("harm&lt;!-- -- not a comment end &gt;less&lt;script&gt;alert(1);&lt;/script&gt;"));
    }

    [Theory]
    [InlineData("&lt;!' &lt;b&gt;bold&lt;/b&gt;", "<!' bold", "&lt;!' <b>bold</b>")]
    [InlineData("<![CDATA[ <!DOCTYPE ]]>", "<!DOCTYPE", "&lt;!DOCTYPE")]
    public void Description_summary_and_cleaned_body_keep_a_stray_declaration_as_text(string description, string summary, string html)
    {
        var article = ParseOk(Rss($"<item><guid>g</guid><description>{description}</description></item>")).Articles[0];
        var clean = new HtmlCleaner().Clean(article.ContentHtml!, null);

        Assert.Equal(summary, article.Summary);
        Assert.Equal(html, clean.Html);
        Assert.Equal(summary, clean.Text);
    }

    [Fact]
    public void Unterminated_comment_in_a_body_is_cleaned_as_markup()
    {
        var clean = new HtmlCleaner().Clean("one<!-- -- x >two<img src=x onerror=alert(1)><script>alert(2)</script>", null);

        Assert.Equal("onetwo", clean.Text);
        Assert.DoesNotContain("onerror", clean.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("script", clean.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void XLink_attributes_of_xhtml_content_keep_their_prefix()
    {
        var feed = ParseOk("""
            <feed xmlns="http://www.w3.org/2005/Atom"><entry xmlns:xlink="http://www.w3.org/1999/xlink"><id>e</id>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><math xmlns="http://www.w3.org/1998/Math/MathML">
            <mrow xlink:show="new" xlink:href="http://example.org/"><mi>x</mi></mrow></math></div></content></entry></feed>
            """);

        var clean = new HtmlCleaner().Clean(feed.Articles[0].ContentHtml!, null);

        Assert.Contains("<mrow xlink:show=\"new\" xlink:href=\"http://example.org/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">", clean.Html);
    }
}
