using FeedWorker.Ingestion.Parsing;
using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

/// <summary>The boundary after the format readers: storable text and plausible dates, the same for every format.</summary>
public sealed class StorableFeedTests
{
    // a Fact, not InlineData: xunit's discovery would replace the lone surrogates before the test sees them
    [Fact]
    public void Clean_removes_only_NUL_and_unpaired_surrogates()
    {
        (string Input, string Expected)[] cases =
        [
            ("plain", "plain"), ("a\0b", "ab"), ("a\uD800b", "ab"), ("a\uDC00b", "ab"), ("\uDC00\uD800", ""),
            ("pair \uD83D\uDE00 kept", "pair \uD83D\uDE00 kept"), ("high at end \uD83D", "high at end "),
            ("\u0001\u001F\uFFFE controls kept", "\u0001\u001F\uFFFE controls kept"),
        ];
        Assert.All(cases, c => Assert.Equal(c.Expected, StorableText.Clean(c.Input)));
    }

    [Fact]
    public void Escaped_unpaired_surrogates_and_raw_noncharacters_do_not_fail_a_JSON_feed()
    {
        var result = Parse("""
            {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [
              {"id": "a", "title": "t", "content_text": "x\ud800\u001ey \udc00 \\ud800 \ud83d\ude00 ￾"}]}
            """);

        Assert.True(result.Ok, result.Error);
        var summary = Assert.Single(result.Feed!.Articles).Summary!;
        Assert.StartsWith("xy", summary, StringComparison.Ordinal);
        Assert.Contains("\\ud800", summary, StringComparison.Ordinal); // an escaped backslash, not an escape
        Assert.Contains("\uD83D\uDE00", summary, StringComparison.Ordinal);
        Assert.Same(summary, StorableText.Clean(summary));
        Assert.Contains(result.Warnings, w => w.StartsWith("item guid:a: NUL or unpaired surrogate characters removed from the summary", StringComparison.Ordinal));
    }

    [Fact]
    public void A_JSON_item_with_a_lone_surrogate_and_a_NUL_is_made_storable_with_a_warning_naming_its_key()
    {
        var result = Parse("""
            {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [
              {"id": "bad-1", "title": "fine", "content_text": "x\ud800y nul\u0000here", "authors": [{"name": "A\u0000"}], "tags": ["t\udc00"]},
              {"id": "good", "title": "fine", "content_text": "fine"}]}
            """);

        Assert.True(result.Ok, result.Error);
        var bad = result.Feed!.Articles[0];
        Assert.Equal("xy nulhere", bad.Summary);
        Assert.Equal("A", bad.Author);
        Assert.Equal(["t"], bad.Categories);
        var warning = Assert.Single(result.Warnings, w => w.Contains("guid:bad-1", StringComparison.Ordinal));
        Assert.Contains("from the summary", warning, StringComparison.Ordinal);
        Assert.Contains("from the author", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("guid:good", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> YearOneDates => new()
    {
        { "rss", Rss("<item><guid>d</guid><title>t</title><pubDate>Mon, 01 Jan 0001 00:00:00 GMT</pubDate></item>") },
        {
            "atom",
            """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>d</id><title>t</title><published>0001-01-01T00:00:00Z</published><updated>0001-01-01T00:00:00Z</updated></entry></feed>"""
        },
        { "json", """{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [{"id": "d", "title": "t", "date_published": "0001-01-01T00:00:00Z"}]}""" },
        { "rss far future", Rss("<item><guid>d</guid><title>t</title><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>") },
        { "rss 1969", Rss("<item><guid>d</guid><title>t</title><pubDate>Tue, 31 Dec 1969 23:59:59 GMT</pubDate></item>") },
    };

    [Theory]
    [MemberData(nameof(YearOneDates))]
    public void An_implausible_date_is_dropped_with_a_warning_in_every_format(string format, string document)
    {
        var result = Parse(document);

        Assert.True(result.Ok, $"{format}: {result.Error}");
        var article = Assert.Single(result.Feed!.Articles);
        Assert.Null(article.Published);
        Assert.Null(article.Updated);
        Assert.Contains(result.Warnings, w => w.StartsWith("item guid:d: implausible published date", StringComparison.Ordinal));
    }

    [Fact]
    public void Plausible_dates_are_kept_without_a_warning()
    {
        var result = Parse(Rss("<item><guid>d</guid><title>t</title><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate></item>"));

        Assert.Equal(DateTimeOffset.UnixEpoch, Assert.Single(result.Feed!.Articles).Published);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("implausible", StringComparison.Ordinal));
    }
}
