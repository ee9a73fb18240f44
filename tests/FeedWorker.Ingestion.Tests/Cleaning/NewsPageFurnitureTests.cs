using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

/// <summary>Article bodies as news CMSs put them in feeds: the furniture goes, every sentence of the story stays.</summary>
public sealed class NewsPageFurnitureTests
{
    private readonly HtmlCleaner _cleaner = new();

    /// <summary>An Arc/WordPress-VIP style body: GPT ad slots with labels, an inline "Related:" line, a newsletter promo, a share bar.</summary>
    private const string ArcStyleBody = """
        <div class="share-tools"><a href="https://twitter.com/intent/tweet?url=x">Twitter</a><a href="https://www.facebook.com/sharer.php?u=x">Facebook</a></div>
        <p class="article-body__paragraph">City council voted 7-2 on Tuesday to ban billboards along the waterfront.</p>
        <div class="ad ad--inline"><div class="ad__label">ADVERTISEMENT</div><div id="gpt-ad-2" data-ad-size="300x250"></div></div>
        <p class="article-body__paragraph">Advertising revenue from the 41 signs paid for the harbour ferry, the mayor said.</p>
        <p><strong>Related:</strong> <a href="https://news.example/ferry">Ferry fares rise</a>, <a href="https://news.example/signs">Signs come down</a></p>
        <p class="article-body__paragraph">Related: the vote follows a 2019 ruling that the signs were advertisements under the zoning code.</p>
        <div class="newsletter-promo"><h3>Morning Briefing</h3><p>Get the day's top stories in your inbox.</p><a href="/newsletters">Subscribe</a></div>
        <p class="article-body__paragraph">Advertisement firms have 90 days to appeal.</p>
        <aside data-ad="native"><p>Sponsored</p><p><a href="https://ads.example/x">Win a cruise</a></p></aside>
        <p class="article-body__paragraph">Read more: council minutes are published on Fridays.</p>
        """;

    [Fact]
    public void Every_story_paragraph_stays_including_the_ones_about_advertising()
    {
        var clean = _cleaner.Clean(ArcStyleBody, new Uri("https://news.example/2024/05/billboards"));

        Assert.Equal(
            "City council voted 7-2 on Tuesday to ban billboards along the waterfront.\n\n"
            + "Advertising revenue from the 41 signs paid for the harbour ferry, the mayor said.\n\n"
            + "Related: the vote follows a 2019 ruling that the signs were advertisements under the zoning code.\n\n"
            + "Advertisement firms have 90 days to appeal.\n\n"
            + "Read more: council minutes are published on Fridays.",
            clean.Text);
    }

    [Theory]
    [InlineData("ADVERTISEMENT")]
    [InlineData("data-ad")]
    [InlineData("Ferry fares rise")]
    [InlineData("Morning Briefing")]
    [InlineData("Subscribe")]
    [InlineData("sharer.php")]
    [InlineData("Win a cruise")]
    public void Furniture_is_gone_from_the_html(string furniture)
    {
        Assert.DoesNotContain(furniture, _cleaner.Clean(ArcStyleBody, new Uri("https://news.example/")).Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<p class=\"lead\">A lead paragraph.</p>")]
    [InlineData("<div class=\"header\"><p>A header that is not an ad.</p></div>")]
    [InlineData("<p>Advertisement spending rose 4 %.</p>")]
    [InlineData("<ul><li><a href=\"https://example.com/a\">A list of links</a></li></ul>")]
    public void Lookalikes_stay(string html)
    {
        Assert.NotEmpty(_cleaner.Clean(html, new Uri("https://example.com/")).Text);
    }
}
