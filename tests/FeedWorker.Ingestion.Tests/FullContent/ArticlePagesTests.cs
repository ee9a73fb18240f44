using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Parsing;
using FeedWorker.Ingestion.Tests.Fetching;
using Microsoft.Extensions.Logging;

namespace FeedWorker.Ingestion.Tests.FullContent;

/// <summary>A refresh's article pages (ArticlePages) against the seed's page served on 127.0.0.1.</summary>
public sealed class ArticlePagesTests(ArticleServerFixture fixture) : IClassFixture<ArticleServerFixture>
{
    private const string ArticlePath = "/jason-ditz/2020/09/29/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/";
    private const string FeedUrl = "http://127.0.0.1/feed.xml";
    private const string FeedText = "The feed's own teaser: a few words about the embassy, then a link to read more.";

    private static FetcherHost Host() => new(new Dictionary<string, string?> { ["FeedWorker:FullContent:Allowlist:0"] = "127.0.0.1" });

    private ParsedArticle Item(string guid, string path) => new()
    {
        Guid = guid,
        Url = path.Contains("://", StringComparison.Ordinal) ? path : fixture.Server.Url(path).AbsoluteUri,
        Title = guid,
        ContentHtml = $"<p>{FeedText}</p>",
        ContentText = FeedText,
    };

    [Fact]
    public async Task Only_wanted_items_get_their_page_in_place_of_the_feed_content_keeping_their_key_and_fingerprint()
    {
        using var host = Host();
        var items = PreparedItems.Of([Item("wanted", ArticlePath), Item("stored", ArticlePath), Item("gone", "/gone"), Item("ftp", "ftp://127.0.0.1/a.txt")]);
        var pagesBefore = fixture.Server.RequestCount(ArticlePath);
        var goneBefore = fixture.Server.RequestCount("/gone");

        var result = await host.Pages.AddAsync(FeedUrl, items, item => item.ItemKey != "guid:stored", null, CancellationToken.None);

        Assert.Equal(1, fixture.Server.RequestCount(ArticlePath) - pagesBefore);
        Assert.Equal(1, fixture.Server.RequestCount("/gone") - goneBefore);
        Assert.Equal(items.Items.Select(i => (i.ItemKey, i.Fingerprint)), result.Items.Select(i => (i.ItemKey, i.Fingerprint)));
        var page = result.Items[0];
        Assert.Contains("Iraqi Premier Mustafa Kadhimi came out of his recent visit", page.Article.ContentText, StringComparison.Ordinal);
        Assert.DoesNotContain(FeedText, page.Article.ContentText, StringComparison.Ordinal);
        Assert.Contains("<p>", page.Article.ContentHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page.Article.ContentHtml, StringComparison.OrdinalIgnoreCase);
        // layers 3 and 4 describe the text that is stored, the page's
        Assert.Equal(ContentHash.Of(page.Article.ContentText), page.ContentHash);
        Assert.Equal(SimHash.Of(page.Article.ContentText), page.SimHash);
        Assert.NotNull(page.SimHash);
        Assert.Equal(SimHash.Bands(page.SimHash.Value), page.Bands);
        Assert.Same(items.Items[1], result.Items[1]);
        Assert.Same(items.Items[2], result.Items[2]);
        Assert.Same(items.Items[3], result.Items[3]);
        Assert.Contains(host.Logs, log => log.Level == LogLevel.Information && log.Category.EndsWith(".ArticlePages", StringComparison.Ordinal)
            && log.Message.StartsWith(FeedUrl + ": no full content from " + fixture.Server.Url("/gone"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_is_fetched_when_no_item_is_wanted()
    {
        using var host = Host();
        var items = PreparedItems.Of([Item("a", ArticlePath), Item("b", ArticlePath)]);
        var before = fixture.Server.Requests.Count;

        var result = await host.Pages.AddAsync(FeedUrl, items, _ => false, null, CancellationToken.None);

        Assert.Equal(before, fixture.Server.Requests.Count);
        Assert.Same(items, result);
    }
}
