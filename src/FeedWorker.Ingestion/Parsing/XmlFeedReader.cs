using System.Xml.Linq;
using AngleSharp.Html.Parser;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// Reads RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 from a parsed document. CodeHollow.FeedReader builds the
/// item list; every field is then read from the item element by namespace URI, because FeedReader's
/// own fields decode HTML twice, drop XHTML markup, ignore xml:base and match prefixes as strings.
/// One part per format (XmlFeedReader.Rss.cs, .Rdf.cs, .Atom.cs), each field read by a named finder
/// that says which element wins; element content (.Content.cs) and links (.Links.cs) are shared.
/// </summary>
internal sealed partial class XmlFeedReader(XDocument document, Uri documentUrl, List<string> warnings, HtmlParser html)
{
    // the parts of this class (one per format) share the constructor's values through these fields
    private readonly XDocument _document = document;
    private readonly Uri _documentUrl = documentUrl;
    private readonly List<string> _warnings = warnings;
    private readonly HtmlParser _html = html;

    /// <summary>Core elements: feedparser-compatible leniency, any namespace that is not a known extension (feeds declare odd ones).</summary>
    private const string RssCore = "\u0001rss";

    private const string AtomCore = "\u0001atom";

    private static readonly string[] RssNs = [RssCore];

    private static readonly string[] AtomNs = [AtomCore];

    private static readonly string[] DcNs = [FeedNamespaces.DublinCore, FeedNamespaces.DublinCoreTerms];

    private static readonly string[] ItunesNs = [FeedNamespaces.Itunes, "http://www.itunes.com/DTDs/Podcast-1.0.dtd", "https://www.itunes.com/dtds/podcast-1.0.dtd"];

    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        FeedNamespaces.DublinCore, FeedNamespaces.DublinCoreTerms, FeedNamespaces.Content, FeedNamespaces.Media, FeedNamespaces.Itunes,
        FeedNamespaces.Rdf, FeedNamespaces.Syndication, FeedNamespaces.Xhtml, "http://webns.net/mvcb/", "http://purl.org/rss/1.0/modules/slash/",
        "http://wellformedweb.org/CommentAPI/", "http://www.georss.org/georss", "http://rssnamespace.org/feedburner/ext/1.0",
        "http://www.w3.org/2003/01/geo/wgs84_pos#", "http://purl.org/rss/1.0/modules/admin/", "http://purl.org/syndication/thread/1.0",
        "http://www.w3.org/2000/svg", "http://www.w3.org/1998/Math/MathML", "http://backend.userland.com/creativeCommonsRssModule",
        "http://search.yahoo.com/mrss", "http://purl.org/rss/1.0/modules/event/", "http://www.w3.org/1999/xlink",
    };

    private static readonly HashSet<string> KnownCore = new(StringComparer.Ordinal)
    {
        FeedNamespaces.Rss10, FeedNamespaces.Rss090, "http://backend.userland.com/rss2", "http://blogs.law.harvard.edu/tech/rss", "http://backend.userland.com/rss",
        FeedNamespaces.Atom10, FeedNamespaces.Atom03, "http://purl.org/atom/ns#draft-ietf-atompub-format-08",
    };

    private static readonly string[] MediaNs = [FeedNamespaces.Media, "http://search.yahoo.com/mrss"];

    private static readonly HashSet<string> AtomNamespaces = new(StringComparer.Ordinal)
    {
        FeedNamespaces.Atom10, FeedNamespaces.Atom03, "http://purl.org/atom/ns#draft-ietf-atompub-format-08",
    };

    /// <summary>The base under every xml:base when the document has no web address: the feed's site link.</summary>
    private Uri? _siteLink;

    public ParseResult Read()
    {
        var root = _document.Root!;
        if (!WebAddress.Is(_documentUrl))
        {
            _siteLink = SiteLink(root);
        }
        var name = root.Name.LocalName.ToLowerInvariant();
        return name switch
        {
            "rss" => ReadRss(root, root.Attribute("version")?.Value.Trim() is { } v && v.StartsWith("0.9", StringComparison.Ordinal) ? FeedFormat.Rss09x : FeedFormat.Rss20),
            "rdf" => ReadRdf(root),
            "feed" => ReadAtom(root),
            "channel" => ReadRss(root, FeedFormat.Rss20),
            _ => ParseResult.Failure($"not a feed: the root element is <{root.Name.LocalName}>", _warnings),
        };
    }

    private static string? Text(XElement? element)
    {
        var value = element?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string? Attr(XElement element, string name)
    {
        var value = element.Attribute(name)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string? Language(string? value) => value?.Trim().Replace('_', '-') is { Length: > 0 } v ? v : null;

    private static string? AttrAnyCase(XElement element, string name) =>
        element.Attributes().FirstOrDefault(a => a.Name.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Trim() is { Length: > 0 } v ? v : null;

    private DateTimeOffset? AttrDate(XElement element, string name, string owner) =>
        FeedDateParser.Parse(AttrAnyCase(element, name), $"{owner}, {name}", _warnings);

    private static string? Lang(XElement? element)
    {
        for (var e = element; e is not null; e = e.Parent)
        {
            if (e.Attribute(XNamespace.Xml + "lang")?.Value.Trim() is { Length: > 0 } lang)
            {
                return lang;
            }
        }
        return null;
    }

    private DateTimeOffset? Date(XElement? element, string owner) =>
        element is null ? null : FeedDateParser.Parse(Text(element), $"{owner}, <{element.Name.LocalName}>", _warnings);

    private static string ItemLabel(XElement item, int index)
    {
        var title = item.Elements().FirstOrDefault(e => e.Name.LocalName == "title")?.Value.Trim();
        return string.IsNullOrEmpty(title) ? $"item {index + 1}" : $"item {index + 1} ('{(title.Length > 60 ? title[..60] + "…" : title)}')";
    }

    private static IReadOnlyList<string> Distinct(IEnumerable<string?> values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).Distinct(StringComparer.Ordinal).ToList();

    private XElement? Child(XElement? parent, string local, params string[] namespaces) => parent is null ? null : Children(parent, local, namespaces).FirstOrDefault();

    private IEnumerable<XElement> Children(XElement parent, string local, params string[] namespaces) =>
        parent.Elements().Where(e => Matches(e.Name, local, namespaces));

    /// <summary>No namespace, a feed format's own, or whatever the root element declares as its namespace (feeds invent some).</summary>
    private bool IsCore(string ns) =>
        ns.Length == 0 || (!Extensions.Contains(ns) && (KnownCore.Contains(ns) || ns == _document.Root!.Name.NamespaceName));

    private bool Matches(XName name, string local, string[] namespaces)
    {
        foreach (var ns in namespaces)
        {
            if (ns == RssCore)
            {
                if (name.LocalName.Equals(local, StringComparison.OrdinalIgnoreCase) && IsCore(name.NamespaceName) && !AtomNamespaces.Contains(name.NamespaceName))
                {
                    return true;
                }
            }
            else if (ns == AtomCore)
            {
                if (name.LocalName.Equals(local, StringComparison.OrdinalIgnoreCase) && IsCore(name.NamespaceName))
                {
                    return true;
                }
            }
            else if (name.LocalName == local && name.NamespaceName.Equals(ns, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
