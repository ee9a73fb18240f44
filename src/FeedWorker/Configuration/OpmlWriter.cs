using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace FeedWorker.Configuration;

/// <summary>Writes a subscription list as OPML 2.0, tags as the <c>category</c> attribute.</summary>
internal static class OpmlWriter
{
    public static async Task WriteAsync(TextWriter output, IEnumerable<OpmlOutline> feeds, DateTimeOffset created, CancellationToken cancellationToken)
    {
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement("opml",
                new XAttribute("version", "2.0"),
                new XElement("head",
                    new XElement("title", "FeedWorker feeds"),
                    new XElement("dateCreated", created.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture))),
                new XElement("body", feeds.Select(Outline))));
        await using var writer = XmlWriter.Create(output, new XmlWriterSettings { Async = true, Indent = true, OmitXmlDeclaration = false });
        await document.SaveAsync(writer, cancellationToken);
        await writer.FlushAsync();
        await output.WriteLineAsync();
        await output.FlushAsync(cancellationToken);
    }

    private static XElement Outline(OpmlOutline feed)
    {
        var title = feed.Title ?? feed.XmlUrl;
        var outline = new XElement("outline",
            new XAttribute("type", "rss"), new XAttribute("text", title), new XAttribute("title", title), new XAttribute("xmlUrl", feed.XmlUrl));
        if (feed.HtmlUrl is { } htmlUrl) outline.Add(new XAttribute("htmlUrl", htmlUrl));
        // the category syntax has no escape for its separators, so a tag cannot carry them
        var categories = feed.Tags.Select(t => "/" + t.Replace(',', ' ').Replace('/', ' ').Trim()).Where(c => c.Length > 1).ToList();
        if (categories.Count > 0) outline.Add(new XAttribute("category", string.Join(",", categories)));
        return outline;
    }
}
