using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests.Parsing;

/// <summary>
/// The seed article as a news CMS, a photo desk and a JSON Feed text edition publish it (seeds/antiwar-newsdesk.rss.xml,
/// seeds/antiwar-textonly.json), read from files as <c>once</c> reads the seed feeds: parse and clean must give the
/// seed's own text, names, clean links and resolved relative links.
/// </summary>
public sealed class PublisherFeedTests
{
    private const string NewsDesk = "antiwar-newsdesk.rss.xml";
    private const string TextOnly = "antiwar-textonly.json";

    [Fact]
    public void Rss_author_in_the_specs_form_is_the_name_and_a_bare_address_stays()
    {
        var feed = Process(NewsDesk);

        Assert.Equal("Jason Ditz", feed.Articles[0].Author);
        Assert.Equal("photodesk@antiwar.com", feed.Articles[1].Author);
        Assert.Equal("Dave DeCamp", feed.Articles[2].Author);
    }

    [Fact]
    public void Json_author_written_like_rss_is_the_name()
    {
        Assert.Equal("Jason Ditz", Process(TextOnly).Articles[0].Author);
    }

    [Fact]
    public void Json_content_text_keeps_its_paragraphs_and_becomes_escaped_paragraph_html()
    {
        var feed = Process(TextOnly);

        Assert.Equal(string.Join("\n\n", SeedText.Value.Body), feed.Articles[0].ContentText);
        Assert.Equal(SeedText.Value.Body.Count, CountOf(feed.Articles[0].ContentHtml!, "<p>"));
        var notes = feed.Articles[1];
        Assert.Equal("<p>Feeds now carry full text.<br>The old /rss.php address still works.</p><p>Tags with &lt;angle brackets&gt; &amp; ampersands are shown as written.</p>", notes.ContentHtml);
        Assert.Equal("Feeds now carry full text.\nThe old /rss.php address still works.\n\nTags with <angle brackets> & ampersands are shown as written.", notes.ContentText);
    }

    [Fact]
    public void Tracking_parameters_leave_the_article_and_feed_links_but_not_the_guid()
    {
        var feed = Process(NewsDesk);

        Assert.Equal("https://news.antiwar.com/", feed.Link);
        Assert.Equal("https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/?amp=1#comments", feed.Articles[0].Url);
        Assert.Equal("https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/?utm_source=rss&utm_medium=rss", feed.Articles[0].Guid);
        Assert.Equal("https://news.antiwar.com/photos/2020/09/30/baghdad-airport/", feed.Articles[1].Url);
        Assert.Equal("https://news.antiwar.com/2020/09/30/contractors-ads/?page=2", feed.Articles[2].Url);
        Assert.Equal("https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/", Process(TextOnly).Articles[0].Url);
    }

    [Fact]
    public void Media_rss_description_is_the_summary_and_the_picture_leads_the_content()
    {
        var photo = Process(NewsDesk).Articles[1];

        Assert.Equal("A crater left by a rocket near the Baghdad airport road on Wednesday. Iraqi security forces closed the road for three hours & reopened it at noon.", photo.Summary);
        Assert.StartsWith("<p><img src=\"https://news.antiwar.com/wp-content/uploads/2020/09/baghdad-airport-320.jpg\"", photo.ContentHtml);
        Assert.Equal("A crater left by a rocket near the Baghdad airport road on Wednesday.\n\nIraqi security forces closed the road for three hours & reopened it at noon.", photo.ContentText);
        Assert.Equal(
            ["https://news.antiwar.com/wp-content/uploads/2020/09/baghdad-airport-1600.jpg", "https://news.antiwar.com/wp-content/uploads/2020/09/baghdad-airport-800.jpg",
             "https://news.antiwar.com/wp-content/uploads/2020/09/baghdad-airport-320.jpg"],
            photo.Enclosures.Select(e => e.Url));
    }

    [Theory]
    [InlineData("<media:description>Text on the item.</media:description><media:content url=\"http://example.com/a.jpg\" medium=\"image\" />", "Text on the item.")]
    [InlineData("<media:content url=\"http://example.com/a.mp4\" type=\"video/mp4\"><media:description>Text on the content.</media:description></media:content>", "Text on the content.")]
    [InlineData("<media:group><media:content url=\"http://example.com/a.mp4\" /><media:description>Text in the group.</media:description></media:group>", "Text in the group.")]
    public void Media_description_is_found_on_the_item_its_content_or_its_group(string media, string expected)
    {
        var feed = ParserTestHelpers.ParseOk(ParserTestHelpers.Rss($"<item><title>Clip</title><guid>g</guid>{media}</item>", rssAttributes: "xmlns:media=\"http://search.yahoo.com/mrss/\""));

        Assert.Equal(expected, feed.Articles[0].Summary);
    }

    [Fact]
    public void Item_text_wins_over_the_media_description()
    {
        var feed = ParserTestHelpers.ParseOk(ParserTestHelpers.Rss(
            "<item><title>Clip</title><description>The story.</description><media:description>Caption.</media:description></item>",
            rssAttributes: "xmlns:media=\"http://search.yahoo.com/mrss/\""));

        Assert.Equal("The story.", feed.Articles[0].Summary);
    }

    [Fact]
    public void Summary_loses_the_appeared_first_on_footer()
    {
        Assert.Equal(SeedText.Value.Standfirst, Process(NewsDesk).Articles[0].Summary);
    }

    [Fact]
    public void News_cms_furniture_goes_and_every_paragraph_of_the_story_stays()
    {
        var story = Process(NewsDesk).Articles[0];

        Assert.Equal(string.Join("\n\n", SeedText.Value.Body), story.ContentText);
        foreach (var furniture in new[] { "Advertisement", "data-ad", "Related:", "newsletter", "Sign up", "Tweet", "sharer", "More on Iraq", "appeared first on",
                     "Related stories", "Green Zone Rocket Fire", "kadhimi-meets-trump" })
        {
            Assert.DoesNotContain(furniture, story.ContentHtml, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_story_about_advertising_keeps_its_paragraphs_and_loses_only_the_ad_label()
    {
        var story = Process(NewsDesk).Articles[2];

        Assert.Equal(
            "Pentagon contractors spent more on advertising in Washington this year than in any year since 2003, according to the study.\n\n"
            + "The advertising campaigns, aimed at lawmakers, ran on the Metro and in trade papers.",
            story.ContentText);
        Assert.Equal("Defense firms spent record sums on advertising aimed at Congress", story.Summary);
    }

    [Fact]
    public void Relative_links_in_a_file_resolve_against_the_feeds_site_link()
    {
        var result = ProcessResult(NewsDesk);
        var story = result.Feed!.Articles[0];

        Assert.Contains("href=\"https://news.antiwar.com/2020/09/27/us-warns-iraq-it-may-close-baghdad-embassy/\"", story.ContentHtml);
        Assert.Contains("src=\"https://news.antiwar.com/wp-content/uploads/2020/09/baghdad-embassy-640x360.jpg\"", story.ContentHtml);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void The_wordpress_seed_read_from_its_file_resolves_like_the_served_feed()
    {
        var story = Process("antiwar-wordpress.rss.xml").Articles[0];

        Assert.Contains("href=\"https://news.antiwar.com/2020/09/27/us-warns-iraq-it-may-close-baghdad-embassy/\"", story.ContentHtml);
        Assert.Contains("src=\"https://news.antiwar.com/wp-content/uploads/2020/09/baghdad-embassy-640x360.jpg\"", story.ContentHtml);
    }

    [Fact]
    public void Relative_links_in_a_json_file_resolve_against_the_home_page()
    {
        Assert.Equal("https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/", Process(TextOnly).Articles[0].Url);
    }

    [Fact]
    public void A_configured_base_url_wins_over_the_site_link_for_a_file()
    {
        var bytes = File.ReadAllBytes(SeedPath(NewsDesk));
        var result = Processor.Process(new FeedDocument(bytes, null, new Uri(SeedPath(NewsDesk)), new Uri("https://mirror.example.org/antiwar/")));

        Assert.Contains("href=\"https://mirror.example.org/2020/09/27/us-warns-iraq-it-may-close-baghdad-embassy/\"", result.Feed!.Articles[0].ContentHtml);
    }

    [Fact]
    public void A_file_without_any_web_address_keeps_relative_links_as_written_and_warns_naming_the_item()
    {
        const string feed = """
            <rss version="2.0"><channel><title>Local notes</title>
            <item><title>Moved</title><guid>n1</guid><description>&lt;p&gt;See &lt;a href="/notes/2/"&gt;part two&lt;/a&gt; and &lt;a href="#top"&gt;top&lt;/a&gt;.&lt;/p&gt;&lt;img src="img/map.png" alt="map"&gt;</description></item>
            </channel></rss>
            """;
        var result = Processor.Process(new FeedDocument(System.Text.Encoding.UTF8.GetBytes(feed), null, new Uri("file:///srv/feeds/notes.xml")));

        var html = result.Feed!.Articles[0].ContentHtml!;
        Assert.Contains("<a href=\"/notes/2/\">part two</a>", html);
        Assert.Contains("<a href=\"#top\">top</a>", html);
        Assert.Contains("src=\"img/map.png\"", html);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("item 1 ('Moved')", warning);
        Assert.Contains("'/notes/2/'", warning);
        Assert.Contains("BaseUrl", warning);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static readonly FeedDocumentProcessor Processor = new(new FeedParser(), new HtmlCleaner());

    private static string SeedPath(string name) => Path.Combine(AppContext.BaseDirectory, "seeds", name);

    private static ParseResult ProcessResult(string seed)
    {
        var result = Processor.Process(new FeedDocument(File.ReadAllBytes(SeedPath(seed)), null, new Uri(SeedPath(seed))));
        Assert.True(result.Ok, $"{seed}: {result.Error}");
        return result;
    }

    private static ParsedFeed Process(string seed) => ProcessResult(seed).Feed!;

    private static readonly Lazy<(string Standfirst, IReadOnlyList<string> Body)> SeedText = new(() =>
    {
        var paragraphs = File.ReadAllText(SeedPath("000_76d62e61560ace4b.txt")).ReplaceLineEndings("\n")
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var authorLine = Array.FindIndex(paragraphs, p => p.StartsWith("Author: ", StringComparison.Ordinal));
        return (paragraphs[1], paragraphs[2..authorLine]);
    });
}
