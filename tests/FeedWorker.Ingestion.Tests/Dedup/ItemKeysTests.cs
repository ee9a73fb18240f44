using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests.Dedup;

public sealed class ItemKeysTests
{
    private static readonly DateTimeOffset Published = new(2020, 9, 28, 14, 30, 0, TimeSpan.FromHours(2));

    [Fact]
    public void Guid_wins_over_link_and_is_trimmed()
    {
        var article = new ParsedArticle { Guid = "  tag:example.com,2020:42 \n", Url = "https://example.com/a", Title = "T" };

        Assert.Equal("guid:tag:example.com,2020:42", ItemKeys.For(article));
    }

    [Fact]
    public void Guid_keeps_its_case()
    {
        Assert.NotEqual(
            ItemKeys.For(new ParsedArticle { Guid = "ABC" }),
            ItemKeys.For(new ParsedArticle { Guid = "abc" }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Link_is_used_when_the_guid_is_missing_or_blank(string? guid)
    {
        var article = new ParsedArticle { Guid = guid, Url = " https://example.com/2020/09/embassy?id=7 " };

        Assert.Equal("url:https://example.com/2020/09/embassy?id=7", ItemKeys.For(article));
    }

    [Theory]
    [InlineData("magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a")]
    [InlineData("ftp://ftp.example.com/episode-12.mp3")]
    public void Absolute_links_of_other_schemes_are_keys(string url)
    {
        Assert.Equal("url:" + url, ItemKeys.For(new ParsedArticle { Url = url }));
    }

    [Fact]
    public void Guid_and_link_with_the_same_text_do_not_collide()
    {
        var byGuid = ItemKeys.For(new ParsedArticle { Guid = "https://example.com/a" });
        var byUrl = ItemKeys.For(new ParsedArticle { Url = "https://example.com/a" });

        Assert.NotEqual(byGuid, byUrl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/relative/path")]
    [InlineData("not a link")]
    [InlineData("file:///etc/passwd")]
    public void Content_hash_is_used_without_guid_or_absolute_link(string? url)
    {
        var key = ItemKeys.For(new ParsedArticle { Url = url, Title = "Title", Published = Published, ContentText = "Body" });

        Assert.StartsWith("sha256:", key);
        Assert.Matches("^sha256:[0-9a-f]{64}$", key);
    }

    [Fact]
    public void Content_key_is_the_sha256_of_title_published_and_body()
    {
        var key = ItemKeys.For(new ParsedArticle { Title = "Title", Published = Published, ContentText = "Body" });

        // Published is taken in UTC: 14:30 at +02:00 is 12:30Z.
        Assert.Equal("sha256:" + ItemKeys.Sha256Hex("Title\u00002020-09-28T12:30:00.0000000Z\u0000Body"), key);
    }

    [Fact]
    public void Content_key_depends_on_each_field()
    {
        var baseline = new ParsedArticle { Title = "Title", Published = Published, ContentText = "Body" };
        var key = ItemKeys.For(baseline);

        Assert.Equal(key, ItemKeys.For(baseline with { }));
        Assert.NotEqual(key, ItemKeys.For(baseline with { Title = "Other title" }));
        Assert.NotEqual(key, ItemKeys.For(baseline with { Published = Published.AddSeconds(1) }));
        Assert.NotEqual(key, ItemKeys.For(baseline with { Published = null }));
        Assert.NotEqual(key, ItemKeys.For(baseline with { ContentText = "Other body" }));
    }

    [Fact]
    public void Same_instant_in_different_offsets_gives_the_same_content_key()
    {
        var utc = new ParsedArticle { Title = "T", Published = Published.ToUniversalTime(), ContentText = "B" };
        var local = utc with { Published = Published };

        Assert.Equal(ItemKeys.For(utc), ItemKeys.For(local));
    }

    [Fact]
    public void Summary_stands_in_for_missing_content_text()
    {
        var withSummary = new ParsedArticle { Title = "T", Summary = "Short summary", ContentText = "" };
        var withContent = new ParsedArticle { Title = "T", ContentText = "Short summary" };
        var withBoth = withContent with { Summary = "Another summary" };

        Assert.Equal(ItemKeys.For(withContent), ItemKeys.For(withSummary));
        Assert.Equal(ItemKeys.For(withContent), ItemKeys.For(withBoth));
    }

    [Fact]
    public void Field_boundaries_are_kept()
    {
        var first = new ParsedArticle { Title = "ab", ContentText = "c" };
        var second = new ParsedArticle { Title = "a", ContentText = "bc" };

        Assert.NotEqual(ItemKeys.For(first), ItemKeys.For(second));
    }

    [Fact]
    public void Overlong_guid_or_link_is_hashed_to_a_bounded_key()
    {
        var longGuid = new string('g', 5000);
        var longUrl = "https://example.com/?q=" + new string('x', 5000);

        var guidKey = ItemKeys.For(new ParsedArticle { Guid = longGuid });
        var urlKey = ItemKeys.For(new ParsedArticle { Url = longUrl });

        Assert.Equal("guid-sha256:" + ItemKeys.Sha256Hex(longGuid), guidKey);
        Assert.Equal("url-sha256:" + ItemKeys.Sha256Hex(longUrl), urlKey);
        Assert.True(guidKey.Length <= ItemKeys.MaxLength);
        Assert.NotEqual(guidKey, ItemKeys.For(new ParsedArticle { Guid = longGuid + "h" }));
    }

    [Fact]
    public void Key_of_maximum_length_is_kept_verbatim()
    {
        var guid = new string('g', ItemKeys.MaxLength - "guid:".Length);

        Assert.Equal("guid:" + guid, ItemKeys.For(new ParsedArticle { Guid = guid }));
    }
}
