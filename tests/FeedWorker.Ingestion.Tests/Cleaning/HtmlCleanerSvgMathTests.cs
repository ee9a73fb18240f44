using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

public sealed class HtmlCleanerSvgMathTests
{
    private static readonly Uri Base = new("https://example.org/blog/post.html");
    private readonly HtmlCleaner _cleaner = new();

    private string Clean(string html) => _cleaner.Clean(html, Base).Html;

    [Fact]
    public void Static_svg_drawing_is_kept_with_its_namespace()
    {
        var html = Clean("<p>fig</p><svg version=\"1.1\" viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#ff0000\" stroke-width=\"1px\"/></svg>");

        Assert.Equal(
            "<p>fig</p><svg version=\"1.1\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#ff0000\" stroke-width=\"1px\"></circle></svg>",
            html);
    }

    [Fact]
    public void Svg_link_is_made_absolute_and_written_as_xlink()
    {
        var html = Clean("<svg><a href=\"other.html\"><text>t</text></a></svg>");

        Assert.Contains("<a xlink:href=\"https://example.org/blog/other.html\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><text>t</text></a>", html);
    }

    [Theory]
    [InlineData("<svg onload=\"alert(1)\"><circle r=\"1\"/></svg>", "onload")]
    [InlineData("<svg><script>alert(1)</script><circle r=\"1\"/></svg>", "script")]
    [InlineData("<svg><style>*{}</style><circle r=\"1\"/></svg>", "style")]
    [InlineData("<svg><foreignObject><img src=x onerror=alert(1)></foreignObject><circle r=\"1\"/></svg>", "foreignObject")]
    [InlineData("<svg><use href=\"https://evil.example/x.svg#a\"/><circle r=\"1\"/></svg>", "use")]
    [InlineData("<svg><a xlink:href=\"javascript:alert(1)\"><circle r=\"1\"/></a></svg>", "javascript")]
    [InlineData("<svg><a href=\"javascript:alert(1)\"><circle r=\"1\"/></a></svg>", "javascript")]
    [InlineData("<svg><a><animate attributeName=\"href\" to=\"javascript:alert(1)\"/><circle r=\"1\"/></a></svg>", "animate")]
    [InlineData("<svg><a><set attributeName=\"href\" to=\"javascript:alert(1)\"/><circle r=\"1\"/></a></svg>", "set")]
    [InlineData("<svg><image href=\"https://tracker.example/p.gif\"/><circle r=\"1\"/></svg>", "image")]
    [InlineData("<svg><circle r=\"1\" fill=\"url(https://evil.example/x.svg#p)\"/></svg>", "evil")]
    [InlineData("<svg><circle r=\"1\" style=\"fill: red\"/></svg>", "style")]
    [InlineData("<svg><rect width=\"1\" xlink:href=\"https://example.org/\"/></svg>", "href")]
    [InlineData("<svg><desc><img src=x onerror=alert(1)>d</desc><circle r=\"1\"/></svg>", "img")]
    [InlineData("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>", "<style")]
    [InlineData("<math><maction actiontype=\"statusline\"><mi>x</mi></maction></math>", "maction")]
    [InlineData("<math><semantics><annotation-xml encoding=\"text/html\"><img src=x onerror=alert(1)></annotation-xml></semantics></math>", "annotation")]
    public void Active_or_loading_parts_are_removed(string html, string forbidden)
    {
        var clean = Clean(html);

        Assert.DoesNotContain(forbidden, clean, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", clean, StringComparison.OrdinalIgnoreCase); // as escaped text it is harmless
        Assert.DoesNotContain("<script", clean, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Integration_points_keep_only_their_text()
    {
        var html = Clean("<svg><title>A <b>bold</b> chart</title><desc>&lt;img src=x onerror=alert(1)&gt;</desc></svg>"
            + "<math><mtext>an <i>italic</i> word</mtext></math>");

        Assert.Equal(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>A bold chart</title><desc>&lt;img src=x onerror=alert(1)&gt;</desc></svg>"
            + "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mtext>an italic word</mtext></math>",
            html);
    }

    /// <summary>A browser reads desc content as HTML; feedparser keeps phrasing there (an abbr), attribute-free but for title.</summary>
    [Fact]
    public void Svg_description_keeps_plain_phrasing_elements_only()
    {
        var html = Clean("<svg><desc>An <abbr title=\"Scalable Vector Graphics\" onclick=\"alert(1)\" style=\"color:red\">SVG</abbr> "
            + "<em>figure</em><a href=\"https://example.org/\">link</a><img src=x onerror=alert(1)><script>alert(2)</script>"
            + "<style>*{}</style><!-- c --><div><b>in</b><script>alert(3)</script></div></desc><rect width=\"1\"/></svg>");

        Assert.Equal(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><desc>An <abbr title=\"Scalable Vector Graphics\">SVG</abbr> <em>figure</em>link<b>in</b></desc>"
            + "<rect width=\"1\"></rect></svg>",
            html);
    }

    [Theory]
    [InlineData("xlink:show=\"replace\" xlink:type=\"simple\"", "xlink:show=\"replace\" xlink:type=\"simple\" ")]
    [InlineData("xlink:show=\"new\"", "xlink:show=\"new\" ")]
    [InlineData("xlink:show=\"embed\" xlink:type=\"extended\"", "")]
    [InlineData("xlink:show=\"javascript:alert(1)\"", "")]
    public void XLink_show_and_type_are_kept_with_link_values_only(string attributes, string kept)
    {
        var html = Clean($"<math><mrow xlink:href=\"http://golem.example/\" {attributes}><mi>a</mi></mrow></math>");

        Assert.Equal(
            $"<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mrow xlink:href=\"http://golem.example/\" {kept}"
            + "xmlns:xlink=\"http://www.w3.org/1999/xlink\"><mi>a</mi></mrow></math>",
            html);
    }

    [Fact]
    public void MathML_formula_is_kept_with_a_checked_link()
    {
        var html = Clean("<math><mrow xlink:href=\"http://golem.example/\" xlink:show=\"replace\"><mi>a</mi><mo>+</mo><mi>b</mi></mrow></math>");

        Assert.Equal(
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mrow xlink:href=\"http://golem.example/\" xlink:show=\"replace\" "
            + "xmlns:xlink=\"http://www.w3.org/1999/xlink\"><mi>a</mi><mo>+</mo><mi>b</mi></mrow></math>",
            html);
    }

    [Fact]
    public void Drawing_inside_a_removed_share_block_stays_removed()
    {
        var html = Clean("<p>body</p><div class=\"sharedaddy\"><svg><circle r=\"1\"/></svg></div>");

        Assert.Equal("<p>body</p>", html);
    }

    [Fact]
    public void Nested_drawing_is_cleaned_with_its_root_and_survives_an_unwrapped_form()
    {
        var html = Clean("<form action=\"https://evil.example/\"><svg><svg onload=\"alert(1)\" width=\"5\"><rect width=\"1\"/></svg></svg></form>");

        Assert.Equal(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><svg width=\"5\"><rect width=\"1\"></rect></svg></svg>",
            html);
    }
}
