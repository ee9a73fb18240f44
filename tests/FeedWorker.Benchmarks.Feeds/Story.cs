using System.Globalization;
using System.Text;

namespace FeedWorker.Benchmarks.Feeds;

/// <summary>One article as its publisher wrote it, with WordPress-shaped HTML of 3–6 KB.</summary>
/// <param name="Path">Path of the article on its site, e.g. <c>2026/11/23/some-slug/</c> (no leading slash).</param>
public sealed record Story(
    long Id,
    string Site,
    string Path,
    string Title,
    string Author,
    DateTimeOffset Published,
    IReadOnlyList<string> Categories,
    string Summary,
    string Html)
{
    public string Url => $"https://{Site}/{Path}";
}

/// <summary>Writes deterministic stories: the same id, site, variant and edit always give the same story.</summary>
public static class StoryWriter
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    /// <param name="variant">0 for the original; another number gives a near copy: a few words differ.</param>
    /// <param name="edit">0 as first published; another number appends an update paragraph (the item changed).</param>
    public static Story Write(long id, string site, int variant = 0, int edit = 0)
    {
        var prose = new Prose(new Random(Mix(id)));
        var title = prose.Title();
        var author = prose.Name();
        var published = Epoch.AddMinutes(-(Mix(id) & 0xFFFF));
        var slug = Slug(title, id);
        var path = string.Create(CultureInfo.InvariantCulture, $"{published:yyyy'/'MM'/'dd}/{slug}/");
        var categories = Enumerable.Range(0, prose.Next(1, 4)).Select(_ => Capitalize(prose.Noun())).Distinct().ToList();
        var summary = prose.Sentence();
        var html = Body(prose, id, site, path, title, variant, edit);
        return new Story(id, site, path, title, author, published, categories, summary, html);
    }

    private static string Body(Prose prose, long id, string site, string path, string title, int variant, int edit)
    {
        var target = prose.Next(3000, 5200); // with the share block, pixel and footer added after the loop: 3–6 KB in all
        var html = new StringBuilder(target + 2048);
        var paragraphs = 0;
        var nearCopyParagraph = 1 + (int)(id % 3);
        var rewritten = 0; // a near copy's extra words must not change how many paragraphs it gets
        while (html.Length - rewritten < target - 1600)
        {
            if (paragraphs == 1)
            {
                Figure(html, prose, id);
            }
            else if (paragraphs > 2 && prose.Next(6) == 0)
            {
                html.Append("<h2>").Append(prose.Title()).Append("</h2>\n");
            }
            else if (paragraphs > 2 && prose.Next(8) == 0)
            {
                html.Append("<blockquote class=\"wp-block-quote\"><p>");
                prose.AppendSentence(html);
                html.Append("</p><cite>").Append(prose.Name()).Append("</cite></blockquote>\n");
            }
            else if (paragraphs > 2 && prose.Next(10) == 0)
            {
                html.Append("<ul>");
                for (var i = prose.Next(3, 6); i > 0; i--)
                {
                    html.Append("<li>");
                    prose.AppendSentence(html);
                    html.Append("</li>");
                }
                html.Append("</ul>\n");
            }
            rewritten += Paragraph(html, prose, site, paragraphs == nearCopyParagraph ? variant : 0);
            paragraphs++;
        }
        if (edit != 0)
        {
            html.Append("<p><strong>Update:</strong> ");
            new Prose(new Random(Mix(id) ^ edit)).AppendSentence(html);
            html.Append("</p>\n");
        }
        ShareBlock(html, id, site, path);
        html.Append("<p>The post <a rel=\"nofollow\" href=\"https://").Append(site).Append('/').Append(path).Append("\">")
            .Append(title).Append("</a> appeared first on <a rel=\"nofollow\" href=\"https://").Append(site).Append("\">")
            .Append(site).Append("</a>.</p>\n");
        html.Append("<img src=\"https://pixel.wp.com/b.gif?host=").Append(site).Append("&#038;blog=").Append(id % 100000)
            .Append("&#038;post=").Append(id).Append("&#038;subd=news&#038;ref=&#038;feed=1\" width=\"1\" height=\"1\" style=\"display:none;\" alt=\"\" />");
        return html.ToString();
    }

    /// <returns>The characters the near-copy rewrite added.</returns>
    private static int Paragraph(StringBuilder html, Prose prose, string site, int variant)
    {
        html.Append("<p>");
        var sentences = prose.Next(3, 7);
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0) html.Append(' ');
            switch (prose.Next(9))
            {
                case 0:
                    html.Append("<a href=\"/").Append(2026).Append("/11/").Append(prose.Next(1, 23).ToString("00", CultureInfo.InvariantCulture))
                        .Append('/').Append(prose.Noun()).Append('-').Append(prose.Noun()).Append("/\">");
                    prose.AppendSentence(html);
                    html.Append("</a>");
                    break;
                case 1:
                    html.Append("<a href=\"https://www.").Append(prose.Noun()).Append("-news.example/story/").Append(prose.Next(100000, 999999))
                        .Append("?utm_source=").Append(site).Append("\" target=\"_blank\">");
                    prose.AppendSentence(html);
                    html.Append("</a>");
                    break;
                case 2:
                    html.Append("<strong>");
                    prose.AppendSentence(html);
                    html.Append("</strong>");
                    break;
                case 3:
                    html.Append("<em>");
                    prose.AppendSentence(html);
                    html.Append("</em>");
                    break;
                default:
                    prose.AppendSentence(html);
                    break;
            }
        }
        var before = html.Length;
        if (variant != 0)
        {
            // a near copy: the syndicating site added a few words to one paragraph
            var rewrite = new Prose(new Random(variant));
            html.Append(" Editor&#8217;s note: ").Append(rewrite.Noun()).Append(' ').Append(rewrite.Noun()).Append('.');
        }
        var added = html.Length - before;
        html.Append("</p>\n");
        return added;
    }

    private static void Figure(StringBuilder html, Prose prose, long id)
    {
        var image = id % 900000 + 100000;
        var name = prose.Noun();
        html.Append("<figure class=\"wp-block-image size-large\"><img loading=\"lazy\" width=\"640\" height=\"360\" src=\"/wp-content/uploads/2026/11/")
            .Append(name).Append('-').Append(image).Append("-640x360.jpg\" srcset=\"/wp-content/uploads/2026/11/")
            .Append(name).Append('-').Append(image).Append("-640x360.jpg 640w, /wp-content/uploads/2026/11/img-").Append(image)
            .Append("-1024x576.jpg 1024w\" sizes=\"(max-width: 640px) 100vw, 640px\" alt=\"").Append(prose.Noun())
            .Append("\" class=\"wp-image-").Append(image).Append("\" /><figcaption>");
        prose.AppendSentence(html);
        html.Append(" (Photo: ").Append(prose.Name()).Append(")</figcaption></figure>\n");
    }

    private static void ShareBlock(StringBuilder html, long id, string site, string path)
    {
        html.Append("<script type=\"text/javascript\">window.WPCOM_sharing_counts = {\"https:\\/\\/").Append(site).Append("\\/?p=").Append(id)
            .Append("\":").Append(id).Append("};</script>\n");
        html.Append("<div class=\"sharedaddy sd-sharing-enabled\"><div class=\"robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing\">")
            .Append("<h3 class=\"sd-title\">Share this:</h3><div class=\"sd-content\"><ul>");
        foreach (var network in (ReadOnlySpan<string>)["twitter", "facebook", "email"])
        {
            html.Append("<li class=\"share-").Append(network).Append("\"><a rel=\"nofollow noopener noreferrer\" data-shared=\"sharing-")
                .Append(network).Append('-').Append(id).Append("\" class=\"share-").Append(network).Append(" sd-button share-icon\" href=\"https://")
                .Append(site).Append('/').Append(path).Append("?share=").Append(network).Append("\" target=\"_blank\" title=\"Click to share on ")
                .Append(network).Append("\"><span>").Append(network).Append("</span></a></li>");
        }
        html.Append("<li class=\"share-end\"></li></ul></div></div></div>\n");
    }

    private static string Slug(string title, long id)
    {
        var slug = new StringBuilder(title.Length + 8);
        foreach (var c in title.ToLowerInvariant())
        {
            slug.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        return slug.Append('-').Append(id % 100000).ToString();
    }

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    /// <summary>A stable 31-bit seed from a 64-bit id (string.GetHashCode is randomized per process).</summary>
    internal static int Mix(long value)
    {
        var x = (ulong)value * 0x9E3779B97F4A7C15UL;
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 29;
        return (int)(x & 0x7FFFFFFF);
    }
}
