using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests;

/// <summary>
/// The real seed article, published through realistic WordPress RSS and Atom feeds, must come out of
/// parse + clean as exactly the seed's headline, standfirst and body text.
/// </summary>
public sealed class SeedFeedTests
{
    private const string SeedArticle = "000_76d62e61560ace4b.txt";
    private const string ArticleUrl = "https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/";

    public static TheoryData<string, string> Feeds => new()
    {
        { "antiwar-wordpress.rss.xml", "https://news.antiwar.com/feed/" },
        // Served from another host: only the feed's xml:base makes the relative links point at news.antiwar.com.
        { "antiwar.atom.xml", "https://feeds.example.net/antiwar.atom" },
    };

    [Theory]
    [MemberData(nameof(Feeds))]
    public void Headline_is_the_title(string feed, string documentUrl)
    {
        Assert.Equal(Seed.Value.Headline, SeedItem(feed, documentUrl).Title);
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public void Author_is_Jason_Ditz(string feed, string documentUrl)
    {
        Assert.Equal("Jason Ditz", SeedItem(feed, documentUrl).Author);
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public void Standfirst_is_the_summary(string feed, string documentUrl)
    {
        Assert.Equal(Seed.Value.Standfirst, SeedItem(feed, documentUrl).Summary);
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public void Content_text_is_exactly_the_body_paragraphs(string feed, string documentUrl)
    {
        Assert.Equal(string.Join("\n\n", Seed.Value.Body), SeedItem(feed, documentUrl).ContentText);
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public void Scripts_share_buttons_pixels_and_footer_are_gone(string feed, string documentUrl)
    {
        var html = SeedItem(feed, documentUrl).ContentHtml!;

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("WPCOM", html);
        Assert.DoesNotContain("stats.wp.com", html);
        Assert.DoesNotContain("Share this", html);
        Assert.DoesNotContain("share=", html);
        Assert.DoesNotContain("pixel.wp.com", html);
        Assert.DoesNotContain("feedburner", html);
        Assert.DoesNotContain("appeared first on", html);
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public void Relative_link_and_image_are_absolute(string feed, string documentUrl)
    {
        var html = SeedItem(feed, documentUrl).ContentHtml!;

        Assert.Contains("href=\"https://news.antiwar.com/2020/09/27/us-warns-iraq-it-may-close-baghdad-embassy/\"", html);
        Assert.Contains("src=\"https://news.antiwar.com/wp-content/uploads/2020/09/baghdad-embassy-640x360.jpg\"", html);
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public void Article_link_is_absolute(string feed, string documentUrl)
    {
        Assert.Equal(ArticleUrl, SeedItem(feed, documentUrl).Url);
    }

    [Fact]
    public void Rss_feed_has_all_items_with_their_enclosures()
    {
        var feed = Process("antiwar-wordpress.rss.xml", "https://news.antiwar.com/feed/");

        Assert.Equal(3, feed.Articles.Count);
        Assert.Equal(["Iraq", "Iran", "Mustafa Kadhimi"], feed.Articles[0].Categories);
        Assert.Contains(feed.Articles[1].Enclosures, e => e.Url == "https://news.antiwar.com/wp-content/uploads/2020/09/al-asad-airbase.jpg");
        Assert.Contains(feed.Articles[2].Enclosures, e => e is { Url: "https://news.antiwar.com/wp-content/uploads/podcast/2020-09-29.mp3", Type: "audio/mpeg", Length: 14680064 });
    }

    private static ParsedArticle SeedItem(string feed, string documentUrl) =>
        Process(feed, documentUrl).Articles.Single(a => a.Guid == "https://news.antiwar.com/?p=215829");

    private static ParsedFeed Process(string feed, string documentUrl)
    {
        var processor = new FeedDocumentProcessor(new FeedParser(), new HtmlCleaner());
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "seeds", feed));
        var result = processor.Process(new FeedDocument(bytes, "application/xml", new Uri(documentUrl)));
        Assert.True(result.Ok, $"{feed}: {result.Error}");
        return result.Feed!;
    }

    private static readonly Lazy<SeedText> Seed = new(SeedText.Read);

    /// <summary>The seed file: headline, standfirst, body paragraphs, then "Author: …" and a bio; blank-line separated.</summary>
    private sealed record SeedText(string Headline, string Standfirst, IReadOnlyList<string> Body)
    {
        public static SeedText Read()
        {
            var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seeds", SeedArticle)).ReplaceLineEndings("\n");
            var paragraphs = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var authorLine = Array.FindIndex(paragraphs, p => p.StartsWith("Author: ", StringComparison.Ordinal));
            Assert.True(authorLine > 2, "the seed has no 'Author:' line after its body");
            return new SeedText(paragraphs[0], paragraphs[1], paragraphs[2..authorLine]);
        }
    }
}
