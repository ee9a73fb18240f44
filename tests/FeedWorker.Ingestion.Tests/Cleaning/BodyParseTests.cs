using System.Text;
using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Tests.Xss;

namespace FeedWorker.Ingestion.Tests.Cleaning;

/// <summary>
/// The cleaner reads most articles as a document's body rather than as a template's content, which is faster. The two
/// readings must agree on every article that takes the body: these tests compare them.
/// </summary>
public sealed class BodyParseTests
{
    private static readonly Uri Base = new("https://example.org/blog/post.html");
    private readonly HtmlCleaner _cleaner = new();
    private readonly HtmlCleaner _templateOnly = new(bodyWhenSame: false);

    [Theory]
    [InlineData("<p>text</p>", true)]
    [InlineData("plain text & more", true)]
    [InlineData("text <!-- a comment --> <figure><img src=\"a.png\"></figure>", true)]
    [InlineData("<!-- </p> --><p>x</p>", true)]
    [InlineData("<!--><P>x", true)]
    [InlineData("<code>x</code> and <thumb>y</thumb>", true)]
    [InlineData("1 < 2 <p>x</p>", true)]
    [InlineData("</p><p>x</p>", false)]
    [InlineData("text</p><p>x</p>", false)]
    [InlineData("<script>s</script></p><p>x</p>", false)]
    [InlineData("<TITLE>t</TITLE><p>x</p>", false)]
    [InlineData("<!--x--!></p>--><p>x</p>", false)]
    [InlineData("<!--never closed <p>x</p>", false)]
    [InlineData("<!DOCTYPE html><p>x</p>", false)]
    [InlineData("<p>x</p><td>cell</td>", false)]
    [InlineData("<p>x</p><TR\n>", false)]
    [InlineData("<p>x</p><caption/>", false)]
    [InlineData("<frameset><frame></frameset>", false)]
    public void An_article_is_read_as_a_body_only_where_a_body_reads_it_as_a_template_does(string html, bool inBody)
    {
        Assert.Equal(inBody, HtmlCleaner.ParsesAsInBody(html));
        AssertSameReading(html);
    }

    [Fact]
    public void A_stray_paragraph_end_before_the_first_tag_is_ignored_as_in_a_template()
    {
        Assert.Equal("hello<p>x</p>", _cleaner.Clean("hello</p><p>x</p>", Base).Html);
    }

    [Fact]
    public void Generated_articles_and_the_xss_vectors_read_the_same_both_ways()
    {
        var random = new Random(20261207);
        var articles = Enumerable.Range(0, 3_000).Select(_ => RandomArticle(random))
            .Concat(XssVectors.Load(id => new Uri($"http://127.0.0.1:1/hit/{id}")).Select(v => v.Html))
            .ToList();

        foreach (var html in articles)
        {
            AssertSameReading(html);
        }
        Assert.InRange(articles.Count(HtmlCleaner.ParsesAsInBody), articles.Count / 3, articles.Count);
    }

    private void AssertSameReading(string html)
    {
        foreach (var baseUrl in new[] { Base, null })
        {
            var expected = _templateOnly.Clean(html, baseUrl);
            var actual = _cleaner.Clean(html, baseUrl);
            Assert.True(expected.Html == actual.Html && expected.Text == actual.Text && expected.UnresolvedLinks == actual.UnresolvedLinks,
                $"{html}\ntemplate: {expected.Html}\nbody:     {actual.Html}");
        }
        Assert.Equal(_templateOnly.ToText(html), _cleaner.ToText(html));
    }

    private static readonly string[] Tags =
    [
        "p", "div", "span", "a", "b", "i", "em", "ul", "ol", "li", "table", "tr", "td", "img", "br", "hr", "pre", "code", "blockquote",
        "h2", "script", "style", "noscript", "iframe", "svg", "math", "template", "form", "input", "select", "option", "textarea",
        "html", "head", "body", "title", "meta", "link", "base", "frame", "frameset", "noframes", "object", "embed", "video",
        "source", "figure", "nobr", "font", "plaintext", "xmp", "button", "dl", "dt", "dd", "q", "s", "u",
    ];

    private static readonly string[] Attributes =
    [
        "class=\"x\"", "id=y", "href=\"/a?b=1&c=2\"", "src=\"https://e.org/i.png\"", "style=\"color:red\"", "onclick=alert(1)",
        "width=1 height=1", "title='t'", "target=_top", "data-ad=\"x\"", "class=\"sharedaddy\"", "title=\"a>b\"",
    ];

    private static readonly string[] Texts =
    [
        "hello", " ", "\n", "&amp;", "&lt;", "&nbsp;", "x y z", "<!-- c -->", "<!--", "-->", "<!-->", "--!>", "<!DOCTYPE html>", "</", "<",
        ">", "<?pi?>", "\u00e9", "Related:", "Advertisement",
    ];

    /// <summary>Tags, end tags, attributes and text in random order; half of them start with a start tag.</summary>
    private static string RandomArticle(Random random)
    {
        var html = new StringBuilder();
        if (random.Next(2) == 0)
        {
            html.Append(random.Next(3) == 0 ? "text " : "").Append(random.Next(3) == 0 ? "<!-- c -->" : "").Append('<').Append(Pick(random, Tags)).Append('>');
        }
        for (var parts = random.Next(1, 25); parts > 0; parts--)
        {
            switch (random.Next(4))
            {
                case 0 or 1:
                    var tag = Pick(random, Tags);
                    html.Append('<').Append(random.Next(5) == 0 ? tag.ToUpperInvariant() : tag);
                    if (random.Next(2) == 0)
                    {
                        html.Append(' ').Append(Pick(random, Attributes));
                    }
                    html.Append(random.Next(10) == 0 ? "/>" : ">");
                    break;
                case 2:
                    html.Append("</").Append(Pick(random, Tags)).Append('>');
                    break;
                default:
                    html.Append(Pick(random, Texts));
                    break;
            }
        }
        return html.ToString();
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
