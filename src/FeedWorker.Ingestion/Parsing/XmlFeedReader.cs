using System.Globalization;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using CodeHollow.FeedReader.Feeds;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// Reads RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 from a parsed document. CodeHollow.FeedReader builds the
/// item list; every field is then read from the item element by namespace URI, because FeedReader's
/// own fields decode HTML twice, drop XHTML markup, ignore xml:base and match prefixes as strings.
/// </summary>
internal sealed class XmlFeedReader(XDocument document, Uri documentUrl, List<string> warnings, HtmlParser html)
{
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
        var root = document.Root!;
        if (!WebAddress.Is(documentUrl))
        {
            _siteLink = SiteLink(root);
        }
        var name = root.Name.LocalName.ToLowerInvariant();
        return name switch
        {
            "rss" => ReadRss(root, root.Attribute("version")?.Value.Trim() is { } v && v.StartsWith("0.9", StringComparison.Ordinal) ? FeedFormat.Rss09x : FeedFormat.Rss20),
            "rdf" => ReadRss(root, root.GetDefaultNamespace().NamespaceName == FeedNamespaces.Rss090
                || Child(root, "channel", FeedNamespaces.Rss090) is not null || Child(root, "item", FeedNamespaces.Rss090) is not null ? FeedFormat.Rss09x : FeedFormat.Rss10),
            "feed" => ReadAtom(root),
            "channel" => ReadRss(root, FeedFormat.Rss20),
            _ => ParseResult.Failure($"not a feed: the root element is <{root.Name.LocalName}>", warnings),
        };
    }

    private ParseResult ReadRss(XElement root, FeedFormat format)
    {
        var channel = root.Name.LocalName.Equals("channel", StringComparison.OrdinalIgnoreCase) ? root : Child(root, "channel", RssNs) ?? root;
        var itemElements = FeedReaderItems(root, channel, format) ?? OwnRssItems(root, channel);
        var feedBase = BaseOf(channel);
        var feed = new ParsedFeed
        {
            Format = format,
            Title = PlainTitle(Child(channel, "title", RssNs) ?? Child(channel, "title", DcNs) ?? Child(channel, "title", AtomNs)),
            Link = Url(Text(Child(channel, "link", RssNs)), feedBase) ?? AtomLink(channel, "alternate", feedBase) ?? Url(AttrAnyCase(channel, "href"), feedBase),
            Description = PlainText(Child(channel, "description", RssNs) ?? Child(channel, "description", DcNs)
                ?? Child(channel, "subtitle", AtomNs) ?? Child(channel, "tagline", AtomNs) ?? Child(channel, "summary", ItunesNs) ?? Child(channel, "subtitle", ItunesNs) ?? Child(channel, "abstract", RssNs)),
            Language = Language(Text(Child(channel, "language", RssNs)) ?? Text(Child(channel, "language", DcNs)) ?? Lang(channel)),
            Updated = Date(Child(channel, "lastBuildDate", RssNs) ?? Child(channel, "pubDate", RssNs) ?? Child(channel, "date", DcNs)
                ?? Child(channel, "updated", AtomNs) ?? Child(channel, "modified", DcNs), "the feed") ?? AttrDate(channel, "lastmod", "the feed"),
            RefreshHints = RefreshHints(channel),
            Articles = itemElements.Select((e, i) => RssItem(e, i)).ToList(),
        };
        return ParseResult.Success(feed, warnings);
    }

    private List<XElement> OwnRssItems(XElement root, XElement channel)
    {
        var items = Children(channel, "item", RssNs).ToList();
        if (channel != root)
        {
            items.AddRange(Children(root, "item", RssNs));
        }
        return items;
    }

    /// <summary>FeedReader's item list, when it agrees with the document (it matches by local name only).</summary>
    private List<XElement>? FeedReaderItems(XElement root, XElement channel, FeedFormat format)
    {
        try
        {
            BaseFeed feed = format switch
            {
                FeedFormat.Rss09x when root.Name.LocalName == "rss" => new Rss092Feed(string.Empty, channel),
                FeedFormat.Rss10 or FeedFormat.Rss09x => new Rss10Feed(string.Empty, channel),
                _ => new Rss20Feed(string.Empty, channel),
            };
            var elements = feed.Items.Select(i => i.Element).ToList();
            var own = OwnRssItems(root, channel);
            return elements.Count == own.Count && elements.All(e => e is not null) ? elements : null;
        }
        catch (Exception e) when (e is NullReferenceException or FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    private ParsedArticle RssItem(XElement item, int index)
    {
        var itemBase = BaseOf(item);
        var guidElement = Child(item, "guid", RssNs);
        var guid = Text(guidElement) ?? item.Attribute(XName.Get("about", FeedNamespaces.Rdf))?.Value ?? Text(Child(item, "identifier", DcNs));
        var link = Url(Text(Child(item, "link", RssNs)), BaseOf(Child(item, "link", RssNs) ?? item))
            ?? AtomLink(item, "alternate", itemBase) ?? Url(AttrAnyCase(item, "href"), itemBase);
        if (link is null && guid is not null && guidElement?.Attribute("isPermaLink")?.Value.Trim().ToLowerInvariant() is null or "true"
            && Uri.TryCreate(guid, UriKind.Absolute, out var guidUrl) && guidUrl.Scheme is "http" or "https")
        {
            link = guidUrl.AbsoluteUri;
        }
        var descriptionElement = Child(item, "description", RssNs) ?? Child(item, "description", DcNs) ?? Child(item, "summary", RssNs) ?? Child(item, "abstract", RssNs);
        var secondSummary = Child(item, "summary", RssNs) is { } summaryElement && Child(item, "description", RssNs) is { } plainDescription
            ? (summaryElement.IsBefore(plainDescription) ? plainDescription : summaryElement) : null;
        if (secondSummary is not null && descriptionElement == secondSummary)
        {
            descriptionElement = Child(item, "summary", RssNs);
        }
        var contentElement = Child(item, "encoded", FeedNamespaces.Content) ?? Child(item, "body", FeedNamespaces.Xhtml)
            ?? Child(item, "body", RssNs) ?? Child(item, "fullitem", RssNs);
        var description = descriptionElement is null ? null : ContentOf(descriptionElement, defaultText: false);
        contentElement ??= secondSummary;
        var content = contentElement is null ? null : ContentOf(contentElement, defaultText: false);
        if (description is null && Child(item, "summary", ItunesNs) is { } itunesSummary)
        {
            description = ContentOf(itunesSummary, defaultText: true);
        }
        if (description is null && content is null && MediaDescription(item) is { } media)
        {
            (description, content) = (media, MediaContent(item, media));
        }
        var label = ItemLabel(item, index);
        return new ParsedArticle
        {
            Guid = guid,
            Url = link,
            Title = PlainTitle(Child(item, "title", RssNs) ?? Child(item, "title", DcNs) ?? Child(item, "title", MediaNs)
                ?? Child(item, "group", MediaNs)?.Elements().FirstOrDefault(e => Matches(e.Name, "title", MediaNs))),
            Author = AuthorName.From(Text(Child(item, "author", RssNs)) is { } a && !Child(item, "author", RssNs)!.HasElements ? a
                : Text(Child(item, "creator", DcNs)) ?? AtomAuthor(item) ?? Text(Child(item, "author", ItunesNs)) ?? Text(Child(item, "author", DcNs)) ?? Text(Child(item, "contributor", DcNs))),
            Published = Date(Child(item, "pubDate", RssNs) ?? Child(item, "date", DcNs) ?? Child(item, "issued", DcNs) ?? Child(item, "created", DcNs)
                ?? Child(item, "published", AtomNs) ?? Child(item, "issued", AtomNs), label),
            Updated = Date(Child(item, "modified", DcNs) ?? Child(item, "updated", AtomNs) ?? Child(item, "modified", AtomNs), label) ?? AttrDate(item, "lastmod", label),
            Summary = description is null ? null : PlainFromContent(description),
            ContentHtml = (content ?? description)?.Html,
            Language = Lang(item),
            BaseUrl = BaseOf(contentElement ?? descriptionElement ?? item),
            Categories = Distinct(Children(item, "tags", RssNs).SelectMany(t => (Text(t) ?? "").Split(',')).Select(t => (string?)t)
                .Concat(Children(item, "category", RssNs).Select(c => Text(c)))
                .Concat(Children(item, "subject", DcNs).Select(c => Text(c)))
                .Concat(Children(item, "category", AtomNs).Select(c => Attr(c, "term") ?? Attr(c, "label")))
                .Concat(Children(item, "category", MediaNs).Select(c => Text(c) ?? Attr(c, "label")))
                .Concat(item.Descendants().Where(e => Matches(e.Name, "category", ItunesNs)).Select(c => Attr(c, "text")))),
            Enclosures = Enclosures(item),
        };
    }

    private ParseResult ReadAtom(XElement root)
    {
        var format = root.Name.NamespaceName == FeedNamespaces.Atom10 ? FeedFormat.Atom10 : FeedFormat.Atom03;
        var entries = FeedReaderEntries(root) ?? Children(root, "entry", AtomNs).ToList();
        var feedBase = BaseOf(root);
        var feed = new ParsedFeed
        {
            Format = format,
            Title = PlainTitle(Child(root, "title", AtomNs)),
            Link = AtomLink(root, "alternate", feedBase),
            Description = PlainText(Child(root, "subtitle", AtomNs) ?? Child(root, "tagline", AtomNs)),
            Language = Language(Lang(root)),
            Updated = Date(Child(root, "updated", AtomNs) ?? Child(root, "modified", AtomNs), "the feed"),
            Articles = entries.Select((e, i) => AtomEntry(e, i)).ToList(),
        };
        return ParseResult.Success(feed, warnings);
    }

    private List<XElement>? FeedReaderEntries(XElement root)
    {
        try
        {
            var elements = new AtomFeed(string.Empty, root).Items.Select(i => i.Element).ToList();
            return elements.Count == Children(root, "entry", AtomNs).Count() && elements.All(e => e is not null) ? elements : null;
        }
        catch (Exception e) when (e is NullReferenceException or FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    private ParsedArticle AtomEntry(XElement entry, int index)
    {
        var entryBase = BaseOf(entry);
        var summaryElement = Child(entry, "summary", AtomNs);
        var contentElement = Child(entry, "content", AtomNs) ?? Child(entry, "encoded", FeedNamespaces.Content);
        var summary = summaryElement is null ? null : ContentOf(summaryElement, defaultText: true);
        var content = contentElement is null || contentElement.Attribute("src") is not null ? null : ContentOf(contentElement, defaultText: true);
        var label = ItemLabel(entry, index);
        var id = Text(Child(entry, "id", AtomNs)) is { } rawId && (rawId.StartsWith('/') || rawId.StartsWith('.')) ? Url(rawId, BaseOf(Child(entry, "id", AtomNs))) : Text(Child(entry, "id", AtomNs));
        return new ParsedArticle
        {
            Guid = id,
            Url = AtomLink(entry, "alternate", entryBase),
            Title = PlainTitle(Child(entry, "title", AtomNs)),
            Author = AuthorName.From(AtomAuthor(entry) ?? Text(Child(entry, "creator", DcNs)) ?? AtomAuthor(entry.Parent, allowInherit: true)),
            Published = Date(Child(entry, "published", AtomNs) ?? Child(entry, "issued", AtomNs) ?? Child(entry, "created", AtomNs) ?? Child(entry, "date", DcNs), label),
            Updated = Date(Children(entry, "updated", AtomNs).LastOrDefault() ?? Child(entry, "modified", AtomNs), label),
            Summary = summary is null ? null : PlainFromContent(summary),
            ContentHtml = (content ?? summary)?.Html,
            Language = Lang(contentElement ?? entry),
            BaseUrl = BaseOf(contentElement ?? summaryElement ?? entry),
            Categories = Distinct(Children(entry, "category", AtomNs).Select(c => Attr(c, "term") ?? Attr(c, "label") ?? Text(c))
                .Concat(Children(entry, "subject", DcNs).Select(c => Text(c)))),
            Enclosures = Enclosures(entry),
        };
    }

    private sealed record Content(string Html, string? PlainText);

    /// <summary>
    /// Photo and video desks often give an item no text but a Media RSS description: on the item, on its
    /// media:content or in its media:group, first found wins. Plain unless it says type="html".
    /// </summary>
    private Content? MediaDescription(XElement item)
    {
        var element = Child(item, "description", MediaNs)
            ?? Children(item, "content", MediaNs).Select(c => Child(c, "description", MediaNs)).FirstOrDefault(d => d is not null)
            ?? Children(item, "group", MediaNs).Select(g => Child(g, "description", MediaNs)
                ?? Children(g, "content", MediaNs).Select(c => Child(c, "description", MediaNs)).FirstOrDefault(d => d is not null)).FirstOrDefault(d => d is not null);
        if (Text(element) is not { } text)
        {
            return null;
        }
        return Attr(element!, "type")?.ToLowerInvariant() == "html" ? ContentOf(element!, defaultText: false) : new Content(FeedText.TextToHtml(text), text);
    }

    /// <summary>The media description as the body, led by the item's picture: its thumbnail, else an image media:content.</summary>
    private Content MediaContent(XElement item, Content description)
    {
        var groups = Children(item, "group", MediaNs).ToList();
        var image = Children(item, "thumbnail", MediaNs).Concat(Children(item, "content", MediaNs).SelectMany(c => Children(c, "thumbnail", MediaNs)))
            .Concat(groups.SelectMany(g => Children(g, "thumbnail", MediaNs)))
            .Concat(Children(item, "content", MediaNs).Concat(groups.SelectMany(g => Children(g, "content", MediaNs)))
                .Where(c => Attr(c, "medium") == "image" || Attr(c, "type")?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true))
            .Select(e => Url(Attr(e, "url"), BaseOf(e)))
            .FirstOrDefault(u => u is not null);
        return image is null ? description
            : description with { Html = $"<p><img src=\"{image.Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)}\" alt=\"\"></p>{description.Html}" };
    }

    /// <summary>
    /// Element content as HTML. Plain-text content is escaped, so the HTML always renders what was meant. HTML is
    /// prepared for the HTML parsers here (<see cref="ParserInput"/>) so that markup nested too deep is flattened where
    /// the feed can be warned; the readers' own preparation then finds nothing left to do.
    /// </summary>
    private Content ContentOf(XElement element, bool defaultText)
    {
        var content = ReadContent(element, defaultText);
        if (content.PlainText is not null)
        {
            return content;
        }
        var html = ParserInput.Prepare(content.Html, out var flattened);
        if (!flattened)
        {
            return content;
        }
        warnings.Add($"{Owner(element)}, <{element.Name.LocalName}>: HTML nested deeper than {HtmlNesting.MaxDepth} levels was flattened");
        return content with { Html = html };
    }

    private static string Owner(XElement element) =>
        element.AncestorsAndSelf().FirstOrDefault(e => e.Name.LocalName is "item" or "entry") is { } item
            ? ItemLabel(item, item.ElementsBeforeSelf().Count(e => e.Name == item.Name))
            : "the feed";

    private Content ReadContent(XElement element, bool defaultText)
    {
        var type = element.Attribute("type")?.Value.Trim().ToLowerInvariant();
        var mode = element.Attribute("mode")?.Value.Trim().ToLowerInvariant();
        string value;
        if (mode == "base64" || (type is not null && type.Contains('/') && !type.StartsWith("text/", StringComparison.Ordinal)
            && !type.EndsWith("xml", StringComparison.Ordinal) && !element.HasElements))
        {
            try
            {
                value = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(element.Value.Trim()));
            }
            catch (FormatException)
            {
                warnings.Add($"<{element.Name.LocalName}> claims base64 but is not; read as text");
                value = element.Value;
            }
            return IsPlainType(type, defaultText) || (type is not null && !type.Contains("html", StringComparison.Ordinal) && !type.StartsWith("application/", StringComparison.Ordinal))
                ? new Content(FeedText.EscapeHtml(value), value) : new Content(value, null);
        }
        if (type is "xhtml" && element.Elements().Count() == 1 && element.Elements().First() is { Name.LocalName: "div" } wrapper
            && element.Nodes().OfType<XText>().All(t => string.IsNullOrWhiteSpace(t.Value)))
        {
            return new Content(FeedText.InnerHtml(wrapper).Trim(), null);
        }
        if (type is "xhtml" or "application/xhtml+xml" || element.HasElements)
        {
            return new Content(FeedText.InnerHtml(element).Trim(), null);
        }
        value = element.Value;
        if (mode != "escaped" && IsPlainType(type, defaultText))
        {
            return new Content(FeedText.EscapeHtml(value), value);
        }
        return new Content(value, null);
    }

    private static bool IsPlainType(string? type, bool defaultText) =>
        type is "text" or "text/plain" || (type is null && defaultText);

    private string PlainFromContent(Content content) =>
        content.PlainText is { } plain ? FeedText.Collapse(plain) : FeedText.HtmlToText(html, content.Html);

    private string? PlainTitle(XElement? element)
    {
        if (element is null)
        {
            return null;
        }
        var type = element.Attribute("type")?.Value.Trim().ToLowerInvariant();
        var mode = element.Attribute("mode")?.Value.Trim().ToLowerInvariant();
        if (type is "text" or "text/plain" && mode != "escaped" && mode != "base64" && !element.HasElements)
        {
            return FeedText.Collapse(element.Value);
        }
        var content = ContentOf(element, defaultText: false);
        return FeedText.HtmlToText(html, content.Html);
    }

    private string? PlainText(XElement? element) => element is null ? null : PlainFromContent(ContentOf(element, defaultText: false));

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
        FeedDateParser.Parse(AttrAnyCase(element, name), $"{owner}, {name}", warnings);

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
        element is null ? null : FeedDateParser.Parse(Text(element), $"{owner}, <{element.Name.LocalName}>", warnings);

    private static string ItemLabel(XElement item, int index)
    {
        var title = item.Elements().FirstOrDefault(e => e.Name.LocalName == "title")?.Value.Trim();
        return string.IsNullOrEmpty(title) ? $"item {index + 1}" : $"item {index + 1} ('{(title.Length > 60 ? title[..60] + "…" : title)}')";
    }

    private string? AtomAuthor(XElement? parent, bool allowInherit = false)
    {
        if (parent is null || (allowInherit && parent.Name.LocalName != "feed"))
        {
            return null;
        }
        var author = Child(parent, "author", AtomNs);
        if (author is null)
        {
            return null;
        }
        var name = Text(Child(author, "name", AtomNs));
        var email = Text(Child(author, "email", AtomNs));
        // the name is what readers show; the address only when there is no name
        return name ?? email ?? Text(Child(author, "uri", AtomNs)) ?? (author.HasElements ? null : Text(author));
    }

    private string? AtomLink(XElement parent, string rel, Uri fallbackBase)
    {
        var links = Children(parent, "link", AtomNs).ToList();
        var chosen = links.FirstOrDefault(l => (Attr(l, "rel") ?? "alternate") == rel && IsHtmlType(Attr(l, "type")))
            ?? links.FirstOrDefault(l => (Attr(l, "rel") ?? "alternate") == rel)
            ?? (rel == "alternate" ? links.FirstOrDefault(l => Attr(l, "rel") is not ("enclosure" or "self" or "edit" or "replies" or "license" or "hub")) ?? links.FirstOrDefault() : null);
        if (chosen is null)
        {
            return null;
        }
        return Url(Attr(chosen, "href") ?? Text(chosen), BaseOf(chosen)) ?? Url(Attr(chosen, "href"), fallbackBase);
    }

    private static bool IsHtmlType(string? type) => type is null or "text/html" or "application/xhtml+xml";

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

    private FeedRefreshHints RefreshHints(XElement channel)
    {
        TimeSpan? ttl = int.TryParse(Text(Child(channel, "ttl", RssNs)), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes > 0
            ? TimeSpan.FromMinutes(minutes) : null;
        TimeSpan? interval = null;
        var period = Text(Child(channel, "updatePeriod", FeedNamespaces.Syndication))?.ToLowerInvariant();
        if (period is not null)
        {
            var frequency = int.TryParse(Text(Child(channel, "updateFrequency", FeedNamespaces.Syndication)), NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1;
            TimeSpan? unit = period switch
            {
                "hourly" => TimeSpan.FromHours(1),
                "daily" => TimeSpan.FromDays(1),
                "weekly" => TimeSpan.FromDays(7),
                "monthly" => TimeSpan.FromDays(30),
                "yearly" => TimeSpan.FromDays(365),
                _ => null,
            };
            interval = unit / frequency;
        }
        return ttl is null && interval is null ? FeedRefreshHints.None : new FeedRefreshHints(ttl, interval);
    }

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
            return _siteLink ?? documentUrl;
        }
        var bases = new Stack<string>();
        for (var e = element; e is not null; e = e.Parent)
        {
            if (e.Attribute(XNamespace.Xml + "base")?.Value.Trim() is { Length: > 0 } value)
            {
                bases.Push(value);
            }
        }
        var current = _siteLink ?? documentUrl;
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

    private static IReadOnlyList<string> Distinct(IEnumerable<string?> values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).Distinct(StringComparer.Ordinal).ToList();

    private XElement? Child(XElement? parent, string local, params string[] namespaces) => parent is null ? null : Children(parent, local, namespaces).FirstOrDefault();

    private IEnumerable<XElement> Children(XElement parent, string local, params string[] namespaces) =>
        parent.Elements().Where(e => Matches(e.Name, local, namespaces));

    /// <summary>No namespace, a feed format's own, or whatever the root element declares as its namespace (feeds invent some).</summary>
    private bool IsCore(string ns) =>
        ns.Length == 0 || (!Extensions.Contains(ns) && (KnownCore.Contains(ns) || ns == document.Root!.Name.NamespaceName));

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
