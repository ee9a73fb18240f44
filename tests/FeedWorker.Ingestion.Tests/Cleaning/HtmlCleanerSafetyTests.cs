using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

public sealed class HtmlCleanerSafetyTests
{
    private static readonly Uri Base = new("https://example.org/blog/2020/post.html");
    private readonly HtmlCleaner _cleaner = new();

    private CleanedHtml Clean(string html) => _cleaner.Clean(html, Base);

    [Fact]
    public void Script_is_removed_with_its_code()
    {
        var clean = Clean("<p>safe<script>alert('x')</script> text</p>");

        Assert.Equal("<p>safe text</p>", clean.Html);
        Assert.Equal("safe text", clean.Text);
    }

    [Fact]
    public void Image_event_handler_is_removed_and_image_kept()
    {
        var clean = Clean("<img src=\"a.jpg\" onerror=\"alert(1)\" alt=\"A\">");

        Assert.Equal("<img src=\"https://example.org/blog/2020/a.jpg\" alt=\"A\">", clean.Html);
    }

    [Theory]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"JaVaScRiPt:alert(1)\">x</a>")]
    [InlineData("<a href=\"jav&#x09;ascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>")]
    [InlineData("<a href=\" &#14;  javascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"vbscript:msgbox(1)\">x</a>")]
    [InlineData("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>")]
    public void Script_and_data_links_lose_their_href(string html)
    {
        var clean = Clean(html);

        Assert.Equal("<a>x</a>", clean.Html);
        Assert.Equal("x", clean.Text);
    }

    [Fact]
    public void Svg_loses_its_event_handlers_and_scripts()
    {
        var clean = Clean("<p>before</p><svg onload=\"alert(1)\"><text>svg text</text><script>alert(2)</script></svg><p>after</p>");

        Assert.Equal("<p>before</p><svg xmlns=\"http://www.w3.org/2000/svg\"><text>svg text</text></svg><p>after</p>", clean.Html);
    }

    [Fact]
    public void Math_loses_script_links()
    {
        var clean = Clean("<math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>");

        Assert.Equal("<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>m</mi></math>", clean.Html);
    }

    [Theory]
    [InlineData("width: expression(alert(1))")]
    [InlineData("background-image: url(javascript:alert(1))")]
    [InlineData("-moz-binding: url(http://evil.example/xss.xml#xss)")]
    [InlineData("behavior: url(xss.htc)")]
    [InlineData("position: fixed; top: 0; left: 0")]
    [InlineData("padding: 99999em")]
    public void Dangerous_css_is_removed(string style)
    {
        var clean = Clean($"<span style=\"{style}\">text</span>");

        Assert.Equal("<span>text</span>", clean.Html);
    }

    [Fact]
    public void Harmless_css_is_kept()
    {
        var clean = Clean("<span style=\"font-weight: bold; position: absolute\">text</span>");

        Assert.Equal("<span style=\"font-weight: bold;\">text</span>", clean.Html);
    }

    [Fact]
    public void Meta_refresh_base_and_link_are_removed()
    {
        var clean = Clean("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"><base href=\"https://evil.example/\"><link rel=\"stylesheet\" href=\"https://evil.example/x.css\"><p><a href=\"page\">rel</a></p>");

        Assert.Equal("<p><a href=\"https://example.org/blog/2020/page\">rel</a></p>", clean.Html);
    }

    [Fact]
    public void Form_controls_are_removed_and_surrounding_text_kept()
    {
        var clean = Clean("<form action=\"https://evil.example/steal\">Log in: <input name=\"password\" type=\"password\"><textarea>typed</textarea><select><option>opt</option></select><button>Go</button></form>");

        Assert.Equal("Log in:", clean.Html);
        Assert.Equal("Log in:", clean.Text);
    }

    [Fact]
    public void Output_shows_its_result_without_a_form_while_controls_still_go()
    {
        var clean = Clean("<p>Quantity <input form=\"order\" name=\"qty\" value=\"2\">, total: <output form=\"order\" name=\"total\">42</output></p>");

        Assert.Equal("<p>Quantity , total: <output name=\"total\">42</output></p>", clean.Html);
        Assert.Equal("Quantity , total: 42", clean.Text);
    }

    [Theory]
    [InlineData("<embed src=\"https://evil.example/x.swf\">")]
    [InlineData("<style>body { display: none }</style>")]
    public void Embedding_elements_are_removed_with_content(string html)
    {
        var clean = Clean("<p>keep</p>" + html);

        Assert.Equal("<p>keep</p>", clean.Html);
        Assert.Equal("keep", clean.Text);
    }

    [Fact]
    public void Iframe_is_replaced_by_its_fallback_read_as_sanitized_html()
    {
        var clean = Clean("safe<iframe src=\"https://evil.example/\"> <b>description</b><script>alert(1)</script><img src=x onerror=alert(2)></iframe>");

        Assert.Equal("safe <b>description</b><img src=\"https://example.org/blog/2020/x\">", clean.Html);
    }

    [Fact]
    public void Nested_iframe_fallbacks_are_dropped_past_the_depth_limit()
    {
        var clean = Clean("a<iframe><iframe><iframe><iframe><iframe>deep</iframe></iframe></iframe></iframe></iframe>b");

        Assert.DoesNotContain("iframe", clean.Html);
        Assert.DoesNotContain("deep", clean.Html);
    }

    [Fact]
    public void Noscript_is_kept_empty()
    {
        var clean = Clean("<p>keep</p><noscript><b>no script</b> text</noscript>");

        Assert.Equal("<p>keep</p><noscript></noscript>", clean.Html);
        Assert.Equal("keep", clean.Text);
    }

    [Fact]
    public void Noscript_inside_an_iframe_fallback_is_kept_empty_too()
    {
        // The fallback is parsed after the article, so its noscript is not among those the article's own parse found.
        var clean = Clean("<p>keep</p><iframe><noscript><b>no script</b> text</noscript></iframe>");

        Assert.Equal("<p>keep</p><noscript></noscript>", clean.Html);
        Assert.Equal("keep", clean.Text);
    }

    [Fact]
    public void Markup_breaking_out_of_noscript_is_parsed_as_a_browser_would_and_sanitized()
    {
        // A browser running scripts reads noscript as raw text, so the img below is live markup: it must be cleaned.
        var clean = Clean("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></p></noscript>");

        Assert.StartsWith("<noscript></noscript><img src=\"https://example.org/blog/2020/x\">", clean.Html);
        Assert.DoesNotContain("onerror", clean.Html);
    }

    [Fact]
    public void Object_is_unwrapped_to_its_fallback_content()
    {
        var clean = Clean("safe <object data=\"https://evil.example/x.swf\"><param name=\"movie\" value=\"x.swf\"><b>description</b></object>");

        Assert.Equal("safe <b>description</b>", clean.Html);
    }

    [Theory]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("data:image/gif;base64,R0lGODlhAQABAAAAACw=")]
    [InlineData("data:image/jpeg;base64,/9j/4AAQ")]
    [InlineData("data:image/webp;base64,UklGRg==")]
    public void Inline_raster_images_are_allowed_in_img_src(string src)
    {
        var clean = Clean($"<img src=\"{src}\" width=\"200\" height=\"100\">");

        Assert.Equal($"<img src=\"{src}\" width=\"200\" height=\"100\">", clean.Html);
    }

    [Theory]
    [InlineData("data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+")]
    [InlineData("data:text/html;base64,PHNjcmlwdD4=")]
    public void Other_data_urls_are_removed_from_images(string src)
    {
        var clean = Clean($"<img src=\"{src}\" alt=\"x\">");

        Assert.DoesNotContain("data:", clean.Html);
    }

    [Fact]
    public void Mail_and_phone_links_are_kept()
    {
        var clean = Clean("<a href=\"mailto:editor@example.org\">mail</a> <a href=\"tel:+15551234\">call</a>");

        Assert.Contains("href=\"mailto:editor@example.org\"", clean.Html);
        Assert.Contains("href=\"tel:+15551234\"", clean.Html);
    }
}
