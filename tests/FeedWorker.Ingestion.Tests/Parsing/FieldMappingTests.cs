using FeedWorker.Ingestion.Parsing;
using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

public class FieldMappingTests
{
    private const string Namespaces =
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" " +
        "xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" " +
        "xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\"";

    [Fact]
    public void Content_of_text_and_cdata_sections_reads_as_all_of_them_in_order()
    {
        var feed = ParseOk(Rss($"<item {Namespaces}><guid>g</guid><content:encoded>Fish &amp; <![CDATA[<b>chips</b>]]> too</content:encoded></item>"));

        Assert.Equal("Fish & <b>chips</b> too", feed.Articles[0].ContentHtml);
    }

    [Fact]
    public void RelativeUrlsResolveAgainstNestedXmlBaseThenTheDocument()
    {
        const string xml = """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://base.example/root/">
              <link href="home"/>
              <entry xml:base="entries/">
                <id>tag:x,2024:1</id>
                <link rel="alternate" href="one.html"/>
                <content type="html" xml:base="/content/">&lt;img src="pic.png"&gt;</content>
              </entry>
              <entry xml:base="">
                <id>tag:x,2024:2</id>
                <link href="two.html" xml:base="http://other.example/a/"/>
              </entry>
            </feed>
            """;

        var feed = ParseOk(xml);

        Assert.Equal("http://base.example/root/home", feed.Link);
        Assert.Equal("http://base.example/root/entries/one.html", feed.Articles[0].Url);
        Assert.Equal(new Uri("http://base.example/content/"), feed.Articles[0].BaseUrl);
        Assert.Equal("http://other.example/a/two.html", feed.Articles[1].Url);
    }

    [Fact]
    public void RelativeLinkWithoutXmlBaseResolvesAgainstTheDocumentUrl()
    {
        var feed = ParseOk(Rss("<item><link>/posts/1</link><enclosure url=\"media/a.mp3\" type=\"audio/mpeg\" length=\"12\"/></item>"));

        Assert.Equal("http://example.com/posts/1", feed.Articles[0].Url);
        Assert.Equal(new ArticleEnclosure("http://example.com/blog/media/a.mp3", "audio/mpeg", 12), feed.Articles[0].Enclosures[0]);
        Assert.Equal(DocumentUrl, feed.Articles[0].BaseUrl);
    }

    [Fact]
    public void TitlesArePlainText()
    {
        const string xml = """
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; more</title>
              <entry><title type="text">a &lt;b&gt; is a tag</title></entry>
              <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X<em>Y</em></div></title></entry>
            </feed>
            """;

        var feed = ParseOk(xml);

        Assert.Equal("Bold & more", feed.Title);
        Assert.Equal("a <b> is a tag", feed.Articles[0].Title);
        Assert.Equal("XY", feed.Articles[1].Title);
    }

    [Fact]
    public void AuthorsComeFromEveryUsualPlace()
    {
        var feed = ParseOk(Rss(
            "<item><author>ann@example.com (Ann)</author></item>" +
            "<item><dc:creator>Bob</dc:creator></item>" +
            "<item><itunes:author>Cid</itunes:author></item>" +
            "<item><atom:author><atom:name>Dee</atom:name><atom:email>dee@example.com</atom:email></atom:author></item>",
            rssAttributes: Namespaces));

        // the name wins over the address in every form (issue 13)
        Assert.Equal(["Ann", "Bob", "Cid", "Dee"], feed.Articles.Select(a => a.Author));
    }

    [Fact]
    public void PrefixBoundNamespacesAreMatchedByUri()
    {
        var feed = ParseOk("<rss version=\"2.0\" xmlns:c=\"http://purl.org/rss/1.0/modules/content/\" xmlns:d=\"http://purl.org/dc/elements/1.1/\">" +
            "<channel><item><description>short</description><c:encoded>&lt;p&gt;full&lt;/p&gt;</c:encoded><d:creator>Eve</d:creator></item></channel></rss>");

        Assert.Equal("<p>full</p>", feed.Articles[0].ContentHtml);
        Assert.Equal("short", feed.Articles[0].Summary);
        Assert.Equal("Eve", feed.Articles[0].Author);
    }

    [Fact]
    public void CategoriesComeFromRssDublinCoreAndAtom()
    {
        var feed = ParseOk(Rss("<item><category>news</category><dc:subject>tech</dc:subject><atom:category term=\"dotnet\"/><category>news</category></item>", rssAttributes: Namespaces));

        Assert.Equal(["news", "tech", "dotnet"], feed.Articles[0].Categories);
    }

    [Fact]
    public void EnclosuresFromEverySourceAreDedupedByUrl()
    {
        var feed = ParseOk(Rss("""
            <item>
              <enclosure url="http://cdn.example/a.mp3" type="audio/mpeg" length="100"/>
              <atom:link rel="enclosure" href="http://cdn.example/b.ogg" type="audio/ogg"/>
              <media:content url="http://cdn.example/a.mp3" type="audio/mpeg"/>
              <media:group><media:content url="http://cdn.example/c.mp4" type="video/mp4" fileSize="300"/></media:group>
              <media:thumbnail url="http://cdn.example/t.jpg"/>
            </item>
            """, rssAttributes: Namespaces));

        Assert.Equal(
            ["http://cdn.example/a.mp3", "http://cdn.example/b.ogg", "http://cdn.example/c.mp4", "http://cdn.example/t.jpg"],
            feed.Articles[0].Enclosures.Select(e => e.Url));
        Assert.Equal(300, feed.Articles[0].Enclosures[2].Length);
    }

    [Fact]
    public void FeedLevelFieldsAndRefreshHints()
    {
        var feed = ParseOk($"""
            <rss version="2.0" {Namespaces}><channel>
              <title>Site</title><link>http://example.com/</link><description>About &lt;b&gt;us&lt;/b&gt;</description>
              <dc:language>de</dc:language><lastBuildDate>Tue, 10 Jun 2003 04:00:00 GMT</lastBuildDate>
              <ttl>90</ttl><sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>
            </channel></rss>
            """);

        Assert.Equal("About us", feed.Description);
        Assert.Equal("de", feed.Language);
        Assert.Equal(new DateTimeOffset(2003, 6, 10, 4, 0, 0, TimeSpan.Zero), feed.Updated);
        Assert.Equal(new FeedRefreshHints(TimeSpan.FromMinutes(90), TimeSpan.FromHours(6)), feed.RefreshHints);
    }

    [Fact]
    public void AtomFeedLanguageComesFromXmlLang()
    {
        var feed = ParseOk("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr_CA\"><title>t</title><subtitle>Sub</subtitle></feed>");

        Assert.Equal("fr-CA", feed.Language);
        Assert.Equal("Sub", feed.Description);
        Assert.Equal(FeedFormat.Atom10, feed.Format);
    }

    [Fact]
    public void DescriptionOnlyItemHasItsHtmlAsContentAndItsTextAsSummary()
    {
        var feed = ParseOk(Rss("<item><description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description></item>"));

        Assert.Equal("<p>Hello <b>world</b></p>", feed.Articles[0].ContentHtml);
        Assert.Equal("Hello world", feed.Articles[0].Summary);
    }

    [Fact]
    public void PlainTextSummaryAndTitleCarryNoScriptOrStyleText()
    {
        var feed = ParseOk(Rss("<item><title>&lt;b&gt;Hi&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" +
            "<description>&lt;style&gt;p{}&lt;/style&gt;&lt;p&gt;Body&lt;/p&gt;&lt;script&gt;var x = '&amp;lt;script&amp;gt;';&lt;/script&gt;</description></item>"));

        Assert.Equal(("Hi", "Body"), (feed.Articles[0].Title, feed.Articles[0].Summary));
    }

    [Fact]
    public void AtomXhtmlContentKeepsItsMarkup()
    {
        var feed = ParseOk("""
            <feed xmlns="http://www.w3.org/2005/Atom"><entry>
              <summary type="text">Plain &lt;tag&gt;</summary>
              <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <a href="/x">there</a></p></div></content>
            </entry></feed>
            """);

        Assert.Equal("<p>Hi <a href=\"/x\">there</a></p>", feed.Articles[0].ContentHtml);
        Assert.Equal("Plain <tag>", feed.Articles[0].Summary);
    }

    [Fact]
    public void AtomHtmlContentIsDecodedOnce()
    {
        var feed = ParseOk("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content type=\"html\">AT&amp;amp;T</content></entry></feed>");

        Assert.Equal("AT&amp;T", feed.Articles[0].ContentHtml);
    }

    [Fact]
    public void GuidAndLinkRules()
    {
        var feed = ParseOk(Rss(
            "<item><guid>http://example.com/p/1</guid></item>" +
            "<item><guid isPermaLink=\"false\">http://example.com/p/2</guid></item>" +
            "<item><guid>abc-123</guid><link>http://example.com/p/3</link></item>"));

        Assert.Equal("http://example.com/p/1", feed.Articles[0].Url);
        Assert.Null(feed.Articles[1].Url);
        Assert.Equal("http://example.com/p/2", feed.Articles[1].Guid);
        Assert.Equal(("abc-123", "http://example.com/p/3"), (feed.Articles[2].Guid, feed.Articles[2].Url));
    }

    [Fact]
    public void Rss10ItemsAndDublinCore()
    {
        var feed = ParseOk("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="http://example.com/"><title>R1</title><link>http://example.com/</link></channel>
              <item rdf:about="http://example.com/1"><title>One</title><link>http://example.com/1</link><dc:date>2003-06-10T04:00:00Z</dc:date><dc:creator>Ann</dc:creator></item>
            </rdf:RDF>
            """);

        Assert.Equal(FeedFormat.Rss10, feed.Format);
        Assert.Equal(("http://example.com/1", "Ann"), (feed.Articles[0].Guid, feed.Articles[0].Author));
        Assert.Equal(new DateTimeOffset(2003, 6, 10, 4, 0, 0, TimeSpan.Zero), feed.Articles[0].Published);
    }

    [Fact]
    public void JsonFeedItems()
    {
        var feed = ParseOk("""
            {"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://example.org/",
             "authors":[{"name":"Feed Author"}],
             "items":[
               {"id":"1","url":"/posts/1","title":"First","content_html":"<p>Hi</p>","date_published":"2024-01-02T03:04:05+01:00","tags":["a","b"],
                "attachments":[{"url":"https://example.org/a.mp3","mime_type":"audio/mpeg","size_in_bytes":5}]},
               {"id":"2","content_text":"1 < 2","authors":[{"name":"Item Author"}]}
             ]}
            """);

        Assert.Equal(FeedFormat.JsonFeed, feed.Format);
        var (first, second) = (feed.Articles[0], feed.Articles[1]);
        Assert.Equal(("1", "http://example.com/posts/1", "<p>Hi</p>", "Hi"), (first.Guid, first.Url, first.ContentHtml, first.Summary));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 2, 4, 5, TimeSpan.Zero), first.Published);
        Assert.Equal(["a", "b"], first.Categories);
        Assert.Equal(new ArticleEnclosure("https://example.org/a.mp3", "audio/mpeg", 5), first.Enclosures.Single());
        Assert.Equal("Feed Author", first.Author);
        Assert.Equal(("<p>1 &lt; 2</p>", "Item Author"), (second.ContentHtml, second.Author));
    }

    [Fact]
    public void JsonFeed10SingularAuthor()
    {
        var feed = ParseOk("""
            {"version":"https://jsonfeed.org/version/1","title":"J","author":{"name":"Feed One"},
             "items":[{"id":"1","content_text":"x","author":{"name":"Item One"}},{"id":"2","content_text":"y"}]}
            """);

        Assert.Equal(["Item One", "Feed One"], feed.Articles.Select(a => a.Author));
    }
}
