using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

public sealed class HtmlCleanerContentTests
{
    private static readonly Uri Base = new("https://example.org/blog/2020/post.html");
    private readonly HtmlCleaner _cleaner = new();

    private CleanedHtml Clean(string html) => _cleaner.Clean(html, Base);

    [Fact]
    public void Relative_urls_become_absolute_in_href_src_srcset_poster_and_cite()
    {
        var clean = Clean(
            "<a href=\"../other.html\">a</a><img src=\"/img/a.jpg\" srcset=\"a-300.jpg 300w, //cdn.example.org/a-600.jpg 600w\">"
            + "<video poster=\"poster.jpg\" src=\"movie.mp4\" controls></video><blockquote cite=\"source.html\">q</blockquote>");

        Assert.Contains("href=\"https://example.org/blog/other.html\"", clean.Html);
        Assert.Contains("src=\"https://example.org/img/a.jpg\"", clean.Html);
        Assert.Contains("srcset=\"https://example.org/blog/2020/a-300.jpg 300w, https://cdn.example.org/a-600.jpg 600w\"", clean.Html);
        Assert.Contains("poster=\"https://example.org/blog/2020/poster.jpg\"", clean.Html);
        Assert.Contains("src=\"https://example.org/blog/2020/movie.mp4\"", clean.Html);
        Assert.Contains("cite=\"https://example.org/blog/2020/source.html\"", clean.Html);
    }

    [Fact]
    public void Links_keep_their_own_rel_and_lose_frame_targets()
    {
        var clean = Clean("<a href=\"https://a.example/\" target=\"_top\">a</a><a href=\"https://b.example/\" target=\"_blank\" rel=\"author\">b</a>");

        Assert.Equal(
            "<a href=\"https://a.example/\">a</a>"
            + "<a href=\"https://b.example/\" target=\"_blank\" rel=\"author\">b</a>",
            clean.Html);
    }

    [Theory]
    [InlineData("<img src=\"https://example.org/p.gif\" width=\"1\" height=\"1\">")]
    [InlineData("<img src=\"https://example.org/p.gif\" width=\"0\" height=\"0\" alt=\"\">")]
    [InlineData("<img src=\"https://example.org/p.gif\" height=\"1px\" width=\"1px\">")]
    [InlineData("<img src=\"https://example.org/p.gif\" style=\"width:1px;height:1px;border:0\">")]
    [InlineData("<img src=\"https://example.org/p.gif\" style=\"height: 0px !important; width: 0px\">")]
    public void Tracking_pixels_are_removed_by_size(string pixel)
    {
        var clean = Clean("<p>text" + pixel + "</p>");

        Assert.Equal("<p>text</p>", clean.Html);
    }

    [Theory]
    [InlineData("https://feeds.feedburner.com/~r/Example/~4/abc123")]
    [InlineData("http://feeds.feedblitz.com/~/i/123/0/example")]
    [InlineData("https://pixel.wp.com/b.gif?host=example.org&blog=1&post=2")]
    [InlineData("https://stats.wordpress.com/b.gif?v=1")]
    [InlineData("http://da.feedsportal.com/r/123/u/49/f/1/rss.gif")]
    [InlineData("https://pixel.quantserve.com/pixel/p-abc.gif")]
    [InlineData("https://www.google-analytics.com/collect?v=1&tid=UA-1")]
    [InlineData("https://ad.doubleclick.net/ddm/trackimp/N1.123")]
    public void Images_from_feed_statistics_hosts_are_removed(string src)
    {
        var clean = Clean($"<p>text<img src=\"{src}\" width=\"100\" height=\"50\"></p>");

        Assert.Equal("<p>text</p>", clean.Html);
    }

    [Theory]
    [InlineData("https://notdoubleclick.net/photo.jpg")]
    [InlineData("https://pixel.wp.com.example.org/photo.jpg")]
    public void Images_from_hosts_that_only_end_with_a_statistics_hosts_name_are_kept(string src)
    {
        var html = $"<p>text<img src=\"{src}\" width=\"100\" height=\"50\"></p>";

        Assert.Equal(html, Clean(html).Html);
    }

    [Fact]
    public void An_article_after_one_longer_than_the_output_buffer_serializes_alone()
    {
        var longArticle = "<p>" + new string('a', 100_000) + "</p>";

        var first = Clean(longArticle);
        var second = Clean("<p>short</p>");
        var third = Clean("<p>shorter</p>");

        Assert.Equal(longArticle, first.Html);
        Assert.Equal("<p>short</p>", second.Html);
        Assert.Equal("<p>shorter</p>", third.Html);
    }

    [Fact]
    public void Normal_images_are_kept()
    {
        var clean = Clean("<img src=\"https://cdn.example.org/photo.jpg\" width=\"640\" height=\"480\"><img src=\"https://example.org/feedburner.png\">");

        Assert.Equal("<img src=\"https://cdn.example.org/photo.jpg\" width=\"640\" height=\"480\"><img src=\"https://example.org/feedburner.png\">", clean.Html);
    }

    [Fact]
    public void Feedburner_flare_block_and_tracked_link_are_removed()
    {
        var clean = Clean(
            "<p>body</p><div class=\"feedflare\"><a href=\"http://feeds.feedburner.com/~ff/Example?a=x\"><img src=\"http://feeds.feedburner.com/~ff/Example?d=y\" border=\"0\"></a></div>"
            + "<a href=\"https://feeds.feedburner.com/~r/Example/~4/abc\"><img src=\"https://feeds.feedburner.com/~r/Example/~4/abc\" height=\"1\" width=\"1\"></a>");

        Assert.Equal("<p>body</p>", clean.Html);
    }

    [Theory]
    [InlineData("<div class=\"sharedaddy sd-sharing-enabled\"><div class=\"robots-nocontent sd-block sd-social\"><h3 class=\"sd-title\">Share this:</h3><ul><li><a href=\"https://example.org/?share=twitter\">Twitter</a></li></ul></div></div>")]
    [InlineData("<div id=\"jp-relatedposts\" class=\"jp-relatedposts\"><h3>Related</h3></div>")]
    [InlineData("<div class=\"addtoany_share_save_container addtoany_content\"><div class=\"a2a_kit a2a_kit_size_32\"><a class=\"a2a_button_facebook\" href=\"https://www.addtoany.com/add_to/facebook\">Facebook</a></div></div>")]
    [InlineData("<div class=\"shareaholic-canvas\" data-app=\"share_buttons\">Share</div>")]
    [InlineData("<div class=\"share-this\"><span>Share this</span></div>")]
    [InlineData("<div class=\"entry-footer\t\n SHARE-THIS\"><span>Share this</span></div>")]
    public void Share_blocks_are_removed(string block)
    {
        var clean = Clean("<p>Article body.</p>" + block);

        Assert.Equal("<p>Article body.</p>", clean.Html);
        Assert.Equal("Article body.", clean.Text);
    }

    [Fact]
    public void Appeared_first_on_footer_is_removed()
    {
        var clean = Clean(
            "<p>Last paragraph.</p>\n<p>The post <a rel=\"nofollow\" href=\"https://example.org/a/\">A Title</a> appeared first on <a rel=\"nofollow\" href=\"https://example.org\">Example Site</a>.</p>");

        Assert.Equal("<p>Last paragraph.</p>", clean.Html);
        Assert.Equal("Last paragraph.", clean.Text);
    }

    /// <summary>The checks read the first words of a paragraph without its whole text: they must read them as the text would.</summary>
    [Theory]
    [InlineData("<p>\n\u00a0 <em>The</em>\n\t  post <a href=\"https://example.org/a/\">A Title</a> appeared first on <a href=\"https://example.org\">Site</a>.</p>")]
    [InlineData("<div><span>                                        This </span><b>article</b>\u2003<a href=\"https://example.org/a/\">A</a> was first published on <a href=\"https://example.org\">Site</a></div>")]
    [InlineData("<p>\n                                    <strong>More on</strong> this story \t: <a href=\"https://example.org/a/\">One</a>, <a href=\"https://example.org/b/\">Two</a></p>")]
    public void Boilerplate_labels_split_across_elements_and_white_space_are_removed(string footer)
    {
        var clean = Clean("<p>Last paragraph.</p>" + footer);

        Assert.Equal("<p>Last paragraph.</p>", clean.Html);
    }

    [Fact]
    public void A_paragraph_merely_mentioning_a_post_is_kept()
    {
        var clean = Clean("<p>The post office <a href=\"https://example.org/\">appeared</a> closed.</p>");

        Assert.Equal("The post office appeared closed.", clean.Text);
    }

    [Theory]
    [InlineData("<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" data-src=\"/real.jpg\">")]
    [InlineData("<img data-lazy-src=\"/real.jpg\">")]
    [InlineData("<img src=\"/wp-content/plugins/lazy/placeholder.png\" data-original=\"/real.jpg\">")]
    public void Lazy_loaded_images_are_promoted(string image)
    {
        var clean = Clean(image);

        Assert.Equal("<img src=\"https://example.org/real.jpg\">", clean.Html);
    }

    [Fact]
    public void Lazy_srcset_is_promoted_and_absolutized()
    {
        var clean = Clean("<img src=\"/a.jpg\" data-srcset=\"/a-2x.jpg 2x\">");

        Assert.Equal("<img src=\"https://example.org/a.jpg\" srcset=\"https://example.org/a-2x.jpg 2x\">", clean.Html);
    }

    [Fact]
    public void Without_base_url_relative_links_are_left_relative()
    {
        var clean = _cleaner.Clean("<a href=\"/x\">x</a>", null);

        Assert.Equal("<a href=\"/x\">x</a>", clean.Html);
    }
}
