using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

public class DateTests
{
    [Theory]
    [InlineData("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00+00:00")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 UT", "2003-06-10T04:00:00+00:00")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 Z", "2003-06-10T04:00:00+00:00")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 EST", "2003-06-10T09:00:00+00:00")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 PDT", "2003-06-10T11:00:00+00:00")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 CEST", "2003-06-10T02:00:00+00:00")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 +0530", "2003-06-09T22:30:00+00:00")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 -07:00", "2003-06-10T11:00:00+00:00")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 A", "2003-06-10T03:00:00+00:00")]
    [InlineData("10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00+00:00")]
    [InlineData("Tue, 10 Jun 03 04:00:00 GMT", "2003-06-10T04:00:00+00:00")]
    [InlineData("Sun, 1 Jun 2003 04:00 GMT", "2003-06-01T04:00:00+00:00")]
    [InlineData("Tue, 10 June 2003 04:00:00 GMT", "2003-06-10T04:00:00+00:00")]
    [InlineData("Di, 10 Juni 2003 04:00:00 +0200", "2003-06-10T02:00:00+00:00")]
    [InlineData("mar., 10 juin 2003 04:00:00 GMT", "2003-06-10T04:00:00+00:00")]
    [InlineData("2003-06-10", "2003-06-10T00:00:00+00:00")]
    [InlineData("2003-06-10T04:00Z", "2003-06-10T04:00:00+00:00")]
    [InlineData("2003-06-10T04:00:00.123456+02:00", "2003-06-10T02:00:00.123456+00:00")]
    [InlineData("2003-06-10T04:00:00+0200", "2003-06-10T02:00:00+00:00")]
    [InlineData("2003-06-10T04:00:00", "2003-06-10T04:00:00+00:00")]
    [InlineData("20030610T040000Z", "2003-06-10T04:00:00+00:00")]
    [InlineData("Sun Jan  4 16:29:06 PST 2004", "2004-01-05T00:29:06+00:00")]
    public void ParsesTheUsualFeedDateForms(string raw, string expected)
    {
        var feed = ParseOk(Rss($"<item><title>x</title><pubDate>{raw}</pubDate></item>"));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), feed.Articles[0].Published);
    }

    [Theory]
    [InlineData("yesterday afternoon")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 XYZT")]
    [InlineData("2003-13-45")]
    public void UnparsableDateIsNullWithAWarningNamingTheItem(string raw)
    {
        var result = Parse(Rss($"<item><title>Dated post</title><pubDate>{raw}</pubDate></item>"));

        Assert.True(result.Ok, result.Error);
        Assert.Null(result.Feed!.Articles[0].Published);
        Assert.Contains(result.Warnings, w => w.Contains("Dated post", StringComparison.Ordinal) && w.Contains(raw, StringComparison.Ordinal));
    }

    [Fact]
    public void DateParsingIgnoresTheCurrentCulture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("en-US");
            var feed = ParseOk(Rss("<item><title>x</title><pubDate>04/05/2003 10:00:00</pubDate></item>"));
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var again = ParseOk(Rss("<item><title>x</title><pubDate>04/05/2003 10:00:00</pubDate></item>"));

            Assert.Equal(feed.Articles[0].Published, again.Articles[0].Published);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
