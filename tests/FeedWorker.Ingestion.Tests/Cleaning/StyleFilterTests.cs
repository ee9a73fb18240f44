using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

public sealed class StyleFilterTests
{
    [Theory]
    [InlineData("color: black", "color: black;")]
    [InlineData("color: #000080;", "color: #000080;")]
    [InlineData("color: rgb(0, 128, 0);", "color: rgb(0, 128, 0);")]
    [InlineData("font-family : Comic Sans MS;", "font-family: Comic Sans MS;")]
    [InlineData("font-family: 'Lucida Console';", "font-family: 'Lucida Console';")]
    [InlineData("font-family: arial,sans-serif;", "font-family: arial,sans-serif;")]
    [InlineData("border: medium none ;", "border: medium none ;")]
    [InlineData("margin: 0 15px 0 0;", "margin: 0 15px 0 0;")]
    [InlineData("border: none !important;", "border: none !important;")]
    [InlineData("background: yellow;", "background: yellow;")]
    [InlineData("font-weight: bold; position: absolute", "font-weight: bold;")]
    public void Allowed_declarations_are_kept_as_written(string style, string expected)
    {
        Assert.Equal(expected, StyleFilter.Filter(style));
    }

    [Fact]
    public void Url_is_cut_out_and_the_rest_kept()
    {
        var filtered = StyleFilter.Filter("background-color: #000; background-image: url(/images/a.jpg); background-repeat: no-repeat;");

        Assert.Equal("background-color: #000;", filtered);
    }

    [Theory]
    [InlineData("background-repeat: repeat-x")] // a box longhand with a non-keyword value
    [InlineData("padding: 99999em")] // lengths past two digits could push content anywhere
    [InlineData("margin: -500px")]
    [InlineData("position: fixed; top: 0; left: 0")]
    [InlineData("content: 'x'")]
    public void Unlisted_properties_and_unsafe_box_values_are_dropped(string style)
    {
        Assert.Null(StyleFilter.Filter(style));
    }

    [Theory]
    [InlineData("width: expression(alert(1))")]
    [InlineData("background-image: url(javascript:alert(1))")]
    [InlineData("color: red; background: url('javascript:alert(1)')")]
    [InlineData("-moz-binding: url(http://evil.example/xss.xml#xss)")]
    [InlineData("behavior: url(xss.htc)")]
    [InlineData("color: javascript:alert(1)")]
    [InlineData("color: red; w\\69 dth: expression(alert(1))")] // escaped property name
    [InlineData("color: re/**/d; width: ex/**/pression(alert(1))")] // comments splitting a keyword
    [InlineData("font-family: \"a\\\" onload\"")]
    [InlineData("color: red</style><script>alert(1)</script>")]
    [InlineData("color: red; @import 'evil.css'")]
    public void Attacks_drop_the_whole_style(string style)
    {
        Assert.Null(StyleFilter.Filter(style));
    }

    [Fact]
    public void Cleaner_keeps_the_filtered_style_on_surviving_elements_only()
    {
        var clean = new HtmlCleaner().Clean(
            "<p style=\"color: teal; position: fixed\">a</p><form style=\"color: red\"><span style=\"cursor: pointer\">b</span></form>", null);

        Assert.Equal("<p style=\"color: teal;\">a</p><span style=\"cursor: pointer;\">b</span>", clean.Html);
    }
}
