using System.Xml;
using System.Xml.Linq;

namespace FeedWorker.Configuration;

/// <summary>
/// Reads OPML 1.0/2.0 subscription lists: every outline with an <c>xmlUrl</c> is a feed, the outlines
/// around it are its folders (tags). DTDs are refused, so a file cannot expand entities or reach out.
/// </summary>
internal static class OpmlReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
    };

    /// <exception cref="OpmlFormatException">The file is not OPML, or a feed outline has no xmlUrl.</exception>
    public static IReadOnlyList<OpmlOutline> Read(Stream stream)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(stream, Settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new OpmlFormatException($"not well-formed XML: {e.Message}", e);
        }
        var root = document.Root!;
        if (root.Name != "opml")
        {
            throw new OpmlFormatException($"the root element is <{root.Name.LocalName}>, not <opml>");
        }
        if ((string?)root.Attribute("version") is { } version && !version.StartsWith("1.", StringComparison.Ordinal) && !version.StartsWith("2.", StringComparison.Ordinal))
        {
            throw new OpmlFormatException($"OPML version '{version}' is not supported (1.0, 1.1 or 2.0)");
        }
        var body = root.Element("body") ?? throw new OpmlFormatException("<opml> has no <body>");

        // one entry per URL: a feed filed in two folders gets both tags
        var feeds = new Dictionary<string, OpmlOutline>(StringComparer.Ordinal);
        Collect(body, [], feeds);
        return feeds.Values.ToList();
    }

    private static void Collect(XElement parent, IReadOnlyList<string> folders, Dictionary<string, OpmlOutline> feeds)
    {
        foreach (var outline in parent.Elements("outline"))
        {
            var title = Text(outline, "title") ?? Text(outline, "text");
            var xmlUrl = Text(outline, "xmlUrl");
            var type = Text(outline, "type")?.ToLowerInvariant();
            if (xmlUrl is null)
            {
                if (outline.HasElements)
                {
                    Collect(outline, title is null ? folders : [.. folders, title], feeds);
                }
                else if (type is "rss" or "atom")
                {
                    throw new OpmlFormatException($"line {Line(outline)}: the {type} outline '{title}' has no xmlUrl");
                }
                // other leaves (links, notes) are not feeds
                continue;
            }
            var tags = folders.Concat(Categories(outline)).Distinct(StringComparer.Ordinal).ToList();
            feeds[xmlUrl] = feeds.TryGetValue(xmlUrl, out var seen)
                ? seen with { Tags = seen.Tags.Concat(tags).Distinct(StringComparer.Ordinal).ToList() }
                : new OpmlOutline(xmlUrl, title, Text(outline, "htmlUrl"), tags);
        }
    }

    /// <summary>OPML 2.0 <c>category</c>: comma-separated, slash-delimited paths ("/Tech/Linux,/News"); each segment is a tag.</summary>
    private static IEnumerable<string> Categories(XElement outline) =>
        (Text(outline, "category") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(path => path.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string? Text(XElement element, string attribute) =>
        (string?)element.Attribute(attribute) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int Line(XElement element) => ((IXmlLineInfo)element).LineNumber;
}
