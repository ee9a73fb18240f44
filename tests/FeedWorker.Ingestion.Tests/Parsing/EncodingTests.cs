using System.Text;
using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

public class EncodingTests
{
    private const string Feed = "<rss version=\"2.0\"><channel><title>Café – naïve €</title></channel></rss>";

    static EncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-16LE")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32LE")]
    [InlineData("utf-32BE")]
    public void ByteOrderMarkDecidesTheEncoding(string encodingName)
    {
        var encoding = Encoding.GetEncoding(encodingName);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" + Feed)).ToArray();

        var result = Parse(bytes);

        Assert.Equal("Café – naïve €", result.Feed?.Title);
    }

    [Theory]
    [InlineData("utf-16LE")]
    [InlineData("utf-32BE")]
    public void UnicodeWithoutBomIsDetectedFromTheFirstCharacters(string encodingName)
    {
        var result = Parse(Encoding.GetEncoding(encodingName).GetBytes(Feed));

        Assert.Equal("Café – naïve €", result.Feed?.Title);
    }

    [Fact]
    public void XmlDeclarationNamesALegacyEncoding()
    {
        var bytes = Encoding.GetEncoding("windows-1251").GetBytes("<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\"><channel><title>Привет</title></channel></rss>");

        Assert.Equal("Привет", Parse(bytes).Feed?.Title);
    }

    [Fact]
    public void HttpCharsetWinsOverTheDeclarationWhenTheBytesAgree()
    {
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" + Feed);

        Assert.Equal("Café – naïve €", Parse(bytes, "application/rss+xml; charset=utf-8").Feed?.Title);
    }

    [Fact]
    public void HttpCharsetIsIgnoredWhenTheBytesAreNotInIt()
    {
        var bytes = Encoding.GetEncoding(1252).GetBytes("<?xml version=\"1.0\" encoding=\"windows-1252\"?>" + Feed);

        Assert.Equal("Café – naïve €", Parse(bytes, "text/xml; charset=utf-8").Feed?.Title);
    }

    [Fact]
    public void Windows1252BytesDeclaredUtf8AreRecoveredWithoutReplacementCharacters()
    {
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Zoë ")
            .Concat(Encoding.GetEncoding(1252).GetBytes("café – “quoted”"))
            .Concat(Encoding.UTF8.GetBytes("</title></channel></rss>")).ToArray();

        var result = Parse(bytes);

        Assert.Equal("Zoë café – “quoted”", result.Feed?.Title);
        Assert.DoesNotContain('\uFFFD', result.Feed!.Title!);
        Assert.Contains(result.Warnings, w => w.Contains("not valid UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public void Latin1LabelIsReadAsWindows1252()
    {
        var bytes = Encoding.GetEncoding(1252).GetBytes("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\"><channel><title>don’t</title></channel></rss>");

        Assert.Equal("don’t", Parse(bytes).Feed?.Title);
    }

    [Fact]
    public void C1ControlCodePointsMeanWindows1252Punctuation()
    {
        var feed = ParseOk("<rss version=\"2.0\"><channel><title>don\u0092t &#146;quoted&#148;</title></channel></rss>");

        Assert.Equal("don’t ’quoted”", feed.Title);
    }

    [Theory]
    [InlineData("&#226;&#128;&#166;")]
    [InlineData("&acirc;&#128;&brvbar;")]
    public void Utf8WrittenAsLatin1ReferencesIsDecoded(string references)
    {
        var result = Parse($"<rss version=\"2.0\"><channel><title>wait{references}</title></channel></rss>");

        Assert.Equal("wait…", result.Feed?.Title);
        Assert.Contains(result.Warnings, w => w.Contains("UTF-8 sequence", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownCharsetFallsBackToUtf8WithAWarning()
    {
        var result = Parse(Encoding.UTF8.GetBytes(Feed), "text/xml; charset=x-bogus");

        Assert.Equal("Café – naïve €", result.Feed?.Title);
        Assert.Contains(result.Warnings, w => w.Contains("x-bogus", StringComparison.Ordinal));
    }
}
