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

    /// <summary>
    /// Label-and-list layouts of news CMSs: a heading, a bold paragraph or a caps label above a bare list or block of
    /// links, next to a real heading over prose, a "See also" list with text besides its link and a label over prose.
    /// </summary>
    private const string LabelledListsBody = """
        <p>The harbour ferry will run hourly from June, the transit authority said.</p>
        <h3 class="article-body__heading">Related stories</h3>
        <ul><li><a href="/ferry-fares">Ferry fares rise 10 %</a></li><li><a href="/new-pier">New pier opens</a></li></ul>
        <p>Weekend crossings stay half-hourly.</p>
        <p><strong>More on this story:</strong></p>
        <ol><li><a href="/timetable">Full timetable</a></li></ol>
        <h2>What changes for commuters</h2>
        <p>Monthly passes stay at $80, and the 6:10 sailing moves to 6:15.</p>
        <h4>READ MORE</h4>
        <div class="links"><a href="/ferry-history">A century of ferries</a> | <a href="/ferry-map">Route map</a></div>
        <h3>See also</h3>
        <ul><li><a href="/report.pdf">The transit report</a>, published in March with ridership figures</li></ul>
        <p><b>Related</b></p>
        <p>Ridership rose 12 % last year.</p>
        """;

    [Fact]
    public void A_related_label_goes_with_its_bare_link_list_and_real_headings_lists_and_prose_stay()
    {
        var clean = _cleaner.Clean(LabelledListsBody, new Uri("https://news.example/2024/05/ferry"));

        Assert.Equal(
            "The harbour ferry will run hourly from June, the transit authority said.\n\n"
            + "Weekend crossings stay half-hourly.\n\n"
            + "What changes for commuters\n\n"
            + "Monthly passes stay at $80, and the 6:10 sailing moves to 6:15.\n\n"
            + "See also\n\n"
            + "The transit report, published in March with ridership figures\n\n"
            + "Related\n\n"
            + "Ridership rose 12 % last year.",
            clean.Text);
    }

    [Theory]
    [InlineData("Related stories")]
    [InlineData("ferry-fares")]
    [InlineData("More on this story")]
    [InlineData("Full timetable")]
    [InlineData("READ MORE")]
    [InlineData("Route map")]
    public void Labelled_link_lists_are_gone_from_the_html(string furniture)
    {
        Assert.DoesNotContain(furniture, _cleaner.Clean(LabelledListsBody, new Uri("https://news.example/")).Html, StringComparison.Ordinal);
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
