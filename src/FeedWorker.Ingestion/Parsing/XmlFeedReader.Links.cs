using System.Globalization;
using System.Xml.Linq;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>Addresses, whatever the format: the base in scope (xml:base over the document URL or site link), absolute URLs, enclosures.</summary>
internal sealed partial class XmlFeedReader
{
    /// <summary>
    /// A file has no web address, so its relative links resolve against the site the feed names (the channel's
    /// link, or the Atom alternate link), as feed readers do.
    /// </summary>
    private Uri? SiteLink(XElement root)
    {
        var link = root.Name.LocalName.Equals("feed", StringComparison.OrdinalIgnoreCase)
            ? AtomLink(root, "alternate", BaseOf(root))
            : (root.Name.LocalName.Equals("channel", StringComparison.OrdinalIgnoreCase) ? root : Child(root, "channel", RssNs)) is { } channel
                ? Text(Child(channel, "link", RssNs)) ?? AtomLink(channel, "alternate", BaseOf(channel))
                : null;
        return Uri.TryCreate(link, UriKind.Absolute, out var url) && WebAddress.Is(url) ? url : null;
    }

    /// <summary>The xml:base in scope for an element, resolved from the document URL (or site link) down.</summary>
    private Uri BaseOf(XElement? element)
    {
        if (element is null)
        {
            return _siteLink ?? _documentUrl;
        }
        var bases = new Stack<string>();
        for (var e = element; e is not null; e = e.Parent)
        {
            if (e.Attribute(XNamespace.Xml + "base")?.Value.Trim() is { Length: > 0 } value)
            {
                bases.Push(value);
            }
        }
        var current = _siteLink ?? _documentUrl;
        foreach (var value in bases)
        {
            if (Uri.TryCreate(current, value, out var next))
            {
                current = next;
            }
        }
        return current;
    }

    private static string? Url(string? value, Uri baseUrl)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (Uri.TryCreate(value, UriKind.Absolute, out var already) && !already.IsFile && value.Contains(':'))
        {
            return value;
        }
        return Uri.TryCreate(baseUrl, value, out var absolute) ? absolute.AbsoluteUri : value;
    }

    private IReadOnlyList<ArticleEnclosure> Enclosures(XElement item)
    {
        var found = new List<ArticleEnclosure>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(XElement e, string? url, string? type, string? length)
        {
            var absolute = Url(url, BaseOf(e));
            if (absolute is not null && seen.Add(absolute))
            {
                found.Add(new ArticleEnclosure(absolute, type, long.TryParse(length?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null));
            }
        }
        foreach (var e in Children(item, "enclosure", RssNs))
        {
            Add(e, Attr(e, "url") ?? Attr(e, "href"), Attr(e, "type"), Attr(e, "length"));
        }
        foreach (var e in Children(item, "link", AtomNs).Where(l => Attr(l, "rel") == "enclosure"))
        {
            Add(e, Attr(e, "href"), Attr(e, "type"), Attr(e, "length"));
        }
        var media = Children(item, "content", MediaNs)
            .Concat(Children(item, "group", MediaNs).SelectMany(g => Children(g, "content", MediaNs)));
        foreach (var e in media)
        {
            Add(e, Attr(e, "url"), Attr(e, "type"), Attr(e, "fileSize"));
        }
        var thumbnails = Children(item, "thumbnail", MediaNs)
            .Concat(Children(item, "group", MediaNs).SelectMany(g => Children(g, "thumbnail", MediaNs)));
        foreach (var e in thumbnails)
        {
            Add(e, Attr(e, "url"), "image/*", null);
        }
        return found;
    }
}
