using System.Text;
using FeedWorker.Ingestion;
using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests.Dedup;

public sealed class SourceFingerprintTests
{
    private static readonly ParsedArticle Item = new()
    {
        Guid = "g-1", Url = "https://news.example/a", Title = "A", ContentHtml = "<p>Body <a href=\"/x\">link</a></p>",
        Published = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero),
    };

    private static readonly Uri Base = new("https://news.example/");

    [Fact]
    public void Equal_items_with_the_same_base_have_the_same_fingerprint() =>
        Assert.Equal(ItemFingerprint.BeforeCleaning(Item, Base), ItemFingerprint.BeforeCleaning(Item with { }, new Uri("https://news.example/")));

    public static TheoryData<string, ParsedArticle, Uri?> Differences => new()
    {
        { "html", Item with { ContentHtml = "<p>Body <a href=\"/y\">link</a></p>" }, Base },
        { "title", Item with { Title = "B" }, Base },
        { "published", Item with { Published = Item.Published!.Value.AddSeconds(1) }, Base },
        { "categories", Item with { Categories = ["x"] }, Base },
        { "enclosure", Item with { Enclosures = [new ArticleEnclosure("https://news.example/a.mp3", "audio/mpeg", 1)] }, Base },
        // the same HTML resolves its relative links elsewhere: it cleans differently
        { "base", Item, new Uri("https://mirror.example/") },
        { "no base", Item, null },
    };

    [Theory]
    [MemberData(nameof(Differences))]
    public void Anything_that_changes_what_cleaning_and_storing_give_changes_the_fingerprint(string what, ParsedArticle other, Uri? baseUrl) =>
        Assert.True(ItemFingerprint.BeforeCleaning(Item, Base) != ItemFingerprint.BeforeCleaning(other, baseUrl), what);

    public static TheoryData<string, ParsedArticle, ParsedArticle> AlikeWhenJoined => new()
    {
        { "text moved to the next field", Item with { Title = "AB", Author = null }, Item with { Title = "A", Author = "B" } },
        { "null and empty", Item with { Summary = null }, Item with { Summary = "" } },
        { "categories split", Item with { Categories = ["ab"] }, Item with { Categories = ["a", "b"] } },
        { "a date and no date", Item with { Updated = null }, Item with { Updated = DateTimeOffset.UnixEpoch } },
        { "enclosure length", Item with { Enclosures = [new ArticleEnclosure("u", null, null)] }, Item with { Enclosures = [new ArticleEnclosure("u", null, 0)] } },
    };

    [Theory]
    [MemberData(nameof(AlikeWhenJoined))]
    public void Fields_whose_values_join_alike_still_differ(string what, ParsedArticle one, ParsedArticle other) =>
        Assert.True(ItemFingerprint.BeforeCleaning(one, Base) != ItemFingerprint.BeforeCleaning(other, Base), what);

    /// <summary>
    /// Stored in every feed_articles row: a new encoding would make every stored item look changed once, so its value
    /// is pinned here (escaped markup, non-ASCII text, dates, categories and enclosures included).
    /// </summary>
    [Fact]
    public void The_stored_fingerprint_keeps_its_encoding()
    {
        var item = Item with
        {
            ContentHtml = "<p>Café & \"quotes\" <a href=\"/x?a=1&b=2\">l'ien</a></p>", ContentText = "Café & \"quotes\" l'ien",
            Summary = "Résumé <b>", Author = "Zoë", Language = "fr", Categories = ["x", "ü"],
            Enclosures = [new ArticleEnclosure("https://news.example/a.mp3", "audio/mpeg", 1)],
            Updated = new DateTimeOffset(2026, 12, 2, 9, 30, 0, TimeSpan.FromHours(1)),
        };
        Assert.Equal("e6986eb80b6289fab9caaf7d539cde7c4f4fef587736d3c13f649ea136a39070", ItemFingerprint.Of(item));
    }

    [Fact]
    public async Task Parsing_sets_it_on_every_item_and_cleaning_leaves_out_the_items_not_selected()
    {
        var processor = new FeedDocumentProcessor(new FeedParser(), new HtmlCleaner());
        var rss = """
            <rss version="2.0"><channel><title>t</title><link>https://news.example/</link>
            <item><guid>1</guid><link>https://news.example/1?utm_source=x</link><description>&lt;p&gt;One &lt;a href="/r"&gt;r&lt;/a&gt;&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</description></item>
            <item><guid>2</guid><link>https://news.example/2</link><description>&lt;p&gt;Two&lt;/p&gt;</description></item>
            </channel></rss>
            """;
        var document = new FeedDocument(Encoding.UTF8.GetBytes(rss), "application/rss+xml", new Uri("https://news.example/feed"));

        var published = await processor.ParseAsync(document, CancellationToken.None);
        var cleaned = await processor.CleanAsync(published, document, a => a.Guid == "1", CancellationToken.None);

        Assert.All(published.Feed!.Articles, a => Assert.NotNull(a.SourceFingerprint));
        Assert.Equal("https://news.example/1", published.Feed.Articles[0].Url); // links final before the fingerprint
        Assert.Contains("<script>", published.Feed.Articles[0].ContentHtml, StringComparison.Ordinal);
        var one = Assert.Single(cleaned.Feed!.Articles);
        Assert.Equal(published.Feed.Articles[0].SourceFingerprint, one.SourceFingerprint);
        var whole = processor.Process(document).Feed!.Articles[0];
        Assert.Equal((whole.Url, whole.ContentHtml, whole.ContentText), (one.Url, one.ContentHtml, one.ContentText));
        Assert.Null(whole.SourceFingerprint); // output is compared with nothing stored
        Assert.DoesNotContain("script", one.ContentHtml, StringComparison.Ordinal);
    }
}
