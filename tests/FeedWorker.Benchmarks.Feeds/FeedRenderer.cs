using System.Globalization;
using System.Text;

namespace FeedWorker.Benchmarks.Feeds;

/// <summary>Writes items as WordPress writes its RSS 2.0 and Atom 1.0 feeds (namespaces, CDATA, escaping).</summary>
public static class FeedRenderer
{
    public static string Rss(string site, IReadOnlyList<FeedItem> items)
    {
        var xml = new StringBuilder(items.Sum(i => i.Story.Html.Length + 1200) + 2048);
        xml.Append("""
            <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
            	xmlns:content="http://purl.org/rss/1.0/modules/content/"
            	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
            	xmlns:dc="http://purl.org/dc/elements/1.1/"
            	xmlns:atom="http://www.w3.org/2005/Atom"
            	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
            	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
            	>

            <channel>

            """);
        xml.Append("\t<title>News From ").Append(site).Append("</title>\n");
        xml.Append("\t<atom:link href=\"https://").Append(site).Append("/feed/\" rel=\"self\" type=\"application/rss+xml\" />\n");
        xml.Append("\t<link>https://").Append(site).Append("</link>\n");
        xml.Append("\t<description>Daily news and analysis</description>\n");
        xml.Append("\t<lastBuildDate>").Append(Rfc822(Latest(items))).Append("</lastBuildDate>\n");
        xml.Append("\t<language>en-US</language>\n\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n");
        xml.Append("\t<generator>https://wordpress.org/?v=6.7.1</generator>\n");
        foreach (var item in items)
        {
            var story = item.Story;
            xml.Append("\t<item>\n\t\t<title>").Append(story.Title).Append("</title>\n");
            xml.Append("\t\t<link>").Append(Escape(item.Link)).Append("</link>\n");
            xml.Append("\t\t<comments>").Append(Escape(item.Link)).Append("#respond</comments>\n");
            xml.Append("\t\t<dc:creator><![CDATA[").Append(story.Author).Append("]]></dc:creator>\n");
            xml.Append("\t\t<pubDate>").Append(Rfc822(story.Published)).Append("</pubDate>\n");
            foreach (var category in story.Categories)
            {
                xml.Append("\t\t<category><![CDATA[").Append(category).Append("]]></category>\n");
            }
            xml.Append("\t\t<guid isPermaLink=\"false\">").Append(item.Guid).Append("</guid>\n\n");
            xml.Append("\t\t\t\t\t<description><![CDATA[").Append(story.Summary).Append("]]></description>\n");
            xml.Append("\t\t\t\t\t\t\t\t\t\t<content:encoded><![CDATA[").Append(story.Html).Append("]]></content:encoded>\n");
            xml.Append("\t\t\t\t\t<wfw:commentRss>").Append(Escape(item.Link)).Append("feed/</wfw:commentRss>\n");
            xml.Append("\t\t\t<slash:comments>0</slash:comments>\n\t\t</item>\n");
        }
        xml.Append("\t</channel>\n</rss>\n");
        return xml.ToString();
    }

    public static string Atom(string site, IReadOnlyList<FeedItem> items)
    {
        var xml = new StringBuilder(items.Sum(i => i.Story.Html.Length * 5 / 4 + 1200) + 2048);
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed\n  xmlns=\"http://www.w3.org/2005/Atom\"\n  xmlns:thr=\"http://purl.org/syndication/thread/1.0\"\n")
            .Append("  xml:lang=\"en-US\"\n  xml:base=\"https://").Append(site).Append("/\"\n  >\n");
        xml.Append("\t<title type=\"text\">News From ").Append(site).Append("</title>\n");
        xml.Append("\t<subtitle type=\"text\">Daily news and analysis</subtitle>\n");
        xml.Append("\t<updated>").Append(Iso(Latest(items))).Append("</updated>\n");
        xml.Append("\t<link rel=\"alternate\" type=\"text/html\" href=\"https://").Append(site).Append("\" />\n");
        xml.Append("\t<id>https://").Append(site).Append("/feed/atom/</id>\n");
        xml.Append("\t<link rel=\"self\" type=\"application/atom+xml\" href=\"https://").Append(site).Append("/feed/atom/\" />\n");
        xml.Append("\t<generator uri=\"https://wordpress.org/\" version=\"6.7.1\">WordPress</generator>\n");
        foreach (var item in items)
        {
            var story = item.Story;
            // WordPress writes the item's own links relative to the feed's xml:base
            var ownPrefix = "https://" + site + "/";
            var link = item.Link.StartsWith(ownPrefix, StringComparison.Ordinal) ? item.Link[ownPrefix.Length..] : item.Link;
            xml.Append("\t<entry>\n\t\t<author>\n\t\t\t<name>").Append(story.Author).Append("</name>\n\t\t</author>\n");
            xml.Append("\t\t<title type=\"html\"><![CDATA[").Append(story.Title).Append("]]></title>\n");
            xml.Append("\t\t<link rel=\"alternate\" type=\"text/html\" href=\"").Append(Escape(link)).Append("\" />\n");
            xml.Append("\t\t<id>").Append(item.Guid).Append("</id>\n");
            xml.Append("\t\t<updated>").Append(Iso(story.Published)).Append("</updated>\n");
            xml.Append("\t\t<published>").Append(Iso(story.Published)).Append("</published>\n");
            foreach (var category in story.Categories)
            {
                xml.Append("\t\t<category scheme=\"https://").Append(site).Append("\" term=\"").Append(category).Append("\" />\n");
            }
            xml.Append("\t\t<summary type=\"html\"><![CDATA[").Append(story.Summary).Append("]]></summary>\n");
            xml.Append("\t\t<content type=\"html\" xml:base=\"").Append(Escape(item.Link)).Append("\">");
            AppendEscaped(xml, story.Html);
            xml.Append("</content>\n\t\t<thr:total>0</thr:total>\n\t</entry>\n");
        }
        xml.Append("</feed>\n");
        return xml.ToString();
    }

    private static DateTimeOffset Latest(IReadOnlyList<FeedItem> items) =>
        items.Count == 0 ? new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero) : items.Max(i => i.Story.Published);

    private static string Rfc822(DateTimeOffset time) =>
        time.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal);

    private static void AppendEscaped(StringBuilder xml, string html)
    {
        foreach (var c in html)
        {
            _ = c switch
            {
                '&' => xml.Append("&amp;"),
                '<' => xml.Append("&lt;"),
                '>' => xml.Append("&gt;"),
                _ => xml.Append(c),
            };
        }
    }
}
