using AngleSharp.Html.Parser;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

public sealed class AttributeValueTests
{
    [Fact]
    public void A_lower_case_name_reads_what_GetAttribute_reads_in_html_and_foreign_elements()
    {
        using var document = new HtmlParser().ParseDocument("""
            <p CLASS="lead" Style="color: red">text</p><a HREF="https://example.org/" target=_top>link</a><img SRC="a.png" data-SRC="b.png">
            <em>no attributes</em><svg viewBox="0 0 1 1" CLASS="drawing"><foreignObject Width="1"><b ID="x">y</b></foreignObject></svg>
            """);
        string[] names = ["class", "style", "href", "target", "src", "data-src", "width", "id", "viewbox", "missing"];
        var found = 0;

        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            foreach (var name in names)
            {
                var expected = element.GetAttribute(name);
                Assert.Equal(expected, AttributeValue.Of(element, name));
                found += expected is null ? 0 : 1;
            }
        }
        Assert.Equal(9, found);
    }
}
