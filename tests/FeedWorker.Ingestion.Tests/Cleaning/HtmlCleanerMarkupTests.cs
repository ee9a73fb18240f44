using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

/// <summary>Markup kept as the author wrote it: attributes and elements that cannot run or load anything.</summary>
public sealed class HtmlCleanerMarkupTests
{
    private static readonly Uri Base = new("https://example.org/blog/post.html");
    private readonly HtmlCleaner _cleaner = new();

    private CleanedHtml Clean(string html) => _cleaner.Clean(html, Base);

    [Theory]
    [InlineData("class=\"note\"")]
    [InlineData("id=\"fn1\"")]
    [InlineData("accesskey=\"k\"")]
    [InlineData("tabindex=\"0\"")]
    [InlineData("contenteditable=\"\"")]
    [InlineData("draggable=\"true\"")]
    [InlineData("autofocus=\"\"")]
    [InlineData("datafld=\"x\"")]
    public void Harmless_attributes_are_kept(string attribute)
    {
        var clean = Clean($"<span {attribute}>t</span>");

        Assert.Equal($"<span {attribute}>t</span>", clean.Html);
    }

    [Theory]
    [InlineData("ping=\"https://tracker.example/\"")]
    [InlineData("form=\"f1\"")]
    [InlineData("action=\"https://evil.example/\"")]
    [InlineData("formaction=\"https://evil.example/\"")]
    [InlineData("data-toggle=\"x\"")]
    [InlineData("onclick=\"alert(1)\"")]
    public void Tracking_submitting_and_script_attributes_are_dropped(string attribute)
    {
        var clean = Clean($"<a href=\"https://example.org/\" {attribute}>t</a>");

        Assert.Equal("<a href=\"https://example.org/\">t</a>", clean.Html);
    }

    [Theory]
    [InlineData("background")]
    [InlineData("longdesc")]
    [InlineData("lowsrc")]
    [InlineData("dynsrc")]
    [InlineData("icon")]
    [InlineData("datasrc")]
    public void Url_attributes_are_absolutized_and_scheme_checked(string attribute)
    {
        Assert.Equal($"<img {attribute}=\"https://example.org/blog/a.jpg\">", Clean($"<img {attribute}=\"a.jpg\">").Html);
        Assert.Equal("<img>", Clean($"<img {attribute}=\"javascript:alert(1)\">").Html);
    }

    [Fact]
    public void Empty_url_attributes_are_kept_empty()
    {
        Assert.Equal("<span href=\"\" src=\"\"></span>", _cleaner.Clean("<span href=\"\" src=\"\"></span>", null).Html);
    }

    [Theory]
    [InlineData("<td>cell</td>")]
    [InlineData("<tr><td>cell</td></tr>")]
    [InlineData("<caption>c</caption>")]
    [InlineData("<col>")]
    [InlineData("<thead><tr><th>h</th></tr></thead>")]
    public void Table_parts_outside_a_table_survive(string html)
    {
        Assert.Equal(html, Clean(html).Html);
    }

    [Fact]
    public void Ordinary_content_parses_as_in_a_body()
    {
        var html = "text <p>one<p>two</p><table><tr><td>a</td></tr></table><ul><li>x<li>y</ul>";

        Assert.Equal("text <p>one</p><p>two</p><table><tbody><tr><td>a</td></tr></tbody></table><ul><li>x</li><li>y</li></ul>", Clean(html).Html);
    }

    [Theory]
    [InlineData("<br></br>", "<br>")]
    [InlineData("a<br /></br>b", "a<br>b")]
    [InlineData("a</br>b", "a<br>b")]
    public void A_br_end_tag_after_a_br_is_one_line_break(string html, string expected)
    {
        Assert.Equal(expected, Clean(html).Html);
    }

    [Theory]
    [InlineData("<canvas>fallback</canvas>")]
    [InlineData("<dialog>d</dialog>")]
    [InlineData("<spacer></spacer>")]
    [InlineData("<multicol>m</multicol>")]
    public void Inert_legacy_and_html5_elements_are_kept(string html)
    {
        Assert.Equal(html, Clean(html).Html);
    }

    [Theory]
    [InlineData("<!' <b>x</b>", "&lt;!' <b>x</b>")]
    [InlineData("<!DOCTYPE", "&lt;!DOCTYPE")]
    [InlineData("<!DOCTYPE html><p>x</p>", "<p>x</p>")]
    [InlineData("<!-- note --><p>x</p>", "<p>x</p>")]
    [InlineData("<![CDATA[<script>alert(1)</script>]]>", "&lt;![CDATA[]]&gt;")]
    [InlineData("<![if !supportLists]>1.<![endif]>", "1.")]
    public void A_stray_markup_declaration_is_text(string html, string expected)
    {
        Assert.Equal(expected, Clean(html).Html);
    }

    [Theory]
    [InlineData("<a href=\"&#192;\">u</a>", "<a href=\"https://example.org/blog/\u00c0\">u</a>")]
    [InlineData("<a href=\"https://example.org/caf%C3%A9\">u</a>", "<a href=\"https://example.org/caf\u00e9\">u</a>")]
    [InlineData("<a href=\"https://example.org/a%E2%80%AEb\">u</a>", "<a href=\"https://example.org/a%E2%80%AEb\">u</a>")] // bidi override stays encoded
    [InlineData("<a href=\"https://example.org/a%C3b\">u</a>", "<a href=\"https://example.org/a%C3b\">u</a>")] // not UTF-8
    public void Non_ascii_url_characters_are_written_as_characters_unless_invisible(string html, string expected)
    {
        Assert.Equal(expected, Clean(html).Html);
    }
}
