using System.Globalization;
using System.Xml.Linq;
using CodeHollow.FeedReader.Feeds;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>RSS 0.9x and 2.0 (and a bare &lt;channel&gt;): the channel and its items. Each finder names the element that wins.</summary>
internal sealed partial class XmlFeedReader
{
    private ParseResult ReadRss(XElement root, FeedFormat format)
    {
        var channel = root.Name.LocalName.Equals("channel", StringComparison.OrdinalIgnoreCase) ? root : Child(root, "channel", RssNs) ?? root;
        var itemElements = FeedReaderItems(root, channel, format) ?? OwnRssItems(root, channel);
        var feed = new ParsedFeed
        {
            Format = format,
            Title = PlainTitle(ChannelTitle(channel)),
            Link = ChannelLink(channel),
            Description = PlainText(ChannelDescription(channel)),
            Language = Language(ChannelLanguage(channel)),
            Updated = ChannelUpdated(channel),
            RefreshHints = RefreshHints(channel),
            Articles = itemElements.Select((e, i) => RssItem(e, i)).ToList(),
        };
        return ParseResult.Success(feed, _warnings);
    }

    /// <summary>&lt;title&gt;, then dc:title, then atom:title.</summary>
    private XElement? ChannelTitle(XElement channel) =>
        Child(channel, "title", RssNs) ?? Child(channel, "title", DcNs) ?? Child(channel, "title", AtomNs);

    /// <summary>&lt;link&gt;, then the Atom alternate link, then an href attribute on the channel (CDF).</summary>
    private string? ChannelLink(XElement channel)
    {
        var feedBase = BaseOf(channel);
        return Url(Text(Child(channel, "link", RssNs)), feedBase) ?? AtomLink(channel, "alternate", feedBase) ?? Url(AttrAnyCase(channel, "href"), feedBase);
    }

    /// <summary>&lt;description&gt;, dc:description, atom:subtitle or tagline, itunes:summary or subtitle, then &lt;abstract&gt; (CDF).</summary>
    private XElement? ChannelDescription(XElement channel) =>
        Child(channel, "description", RssNs) ?? Child(channel, "description", DcNs)
        ?? Child(channel, "subtitle", AtomNs) ?? Child(channel, "tagline", AtomNs) ?? Child(channel, "summary", ItunesNs) ?? Child(channel, "subtitle", ItunesNs) ?? Child(channel, "abstract", RssNs);

    /// <summary>&lt;language&gt;, dc:language, then the xml:lang in scope.</summary>
    private string? ChannelLanguage(XElement channel) =>
        Text(Child(channel, "language", RssNs)) ?? Text(Child(channel, "language", DcNs)) ?? Lang(channel);

    /// <summary>&lt;lastBuildDate&gt;, &lt;pubDate&gt;, dc:date, atom:updated, dc:modified, then a lastmod attribute (CDF).</summary>
    private DateTimeOffset? ChannelUpdated(XElement channel) =>
        Date(Child(channel, "lastBuildDate", RssNs) ?? Child(channel, "pubDate", RssNs) ?? Child(channel, "date", DcNs)
            ?? Child(channel, "updated", AtomNs) ?? Child(channel, "modified", DcNs), "the feed") ?? AttrDate(channel, "lastmod", "the feed");

    private List<XElement> OwnRssItems(XElement root, XElement channel)
    {
        var items = Children(channel, "item", RssNs).ToList();
        if (channel != root)
        {
            items.AddRange(Children(root, "item", RssNs));
        }
        return items;
    }

    /// <summary>
    /// FeedReader's item list, read from the document's <see cref="FeedReaderSkeleton"/>, when it agrees with the document
    /// (it matches by local name only).
    /// </summary>
    private List<XElement>? FeedReaderItems(XElement root, XElement channel, FeedFormat format)
    {
        try
        {
            var skeleton = FeedReaderSkeleton.Of(channel);
            BaseFeed feed = format switch
            {
                FeedFormat.Rss09x when root.Name.LocalName == "rss" => new Rss092Feed(string.Empty, skeleton),
                FeedFormat.Rss10 or FeedFormat.Rss09x => new Rss10Feed(string.Empty, skeleton),
                _ => new Rss20Feed(string.Empty, skeleton),
            };
            var elements = FeedReaderSkeleton.Originals(feed.Items);
            return elements?.Count == OwnRssItems(root, channel).Count ? elements : null;
        }
        catch (Exception e) when (e is NullReferenceException or FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    private ParsedArticle RssItem(XElement item, int index)
    {
        var guidElement = Child(item, "guid", RssNs);
        var guid = ItemGuid(item, guidElement);
        var link = ItemLink(item) ?? PermalinkGuid(guid, guidElement);
        var descriptionElement = ItemDescription(item, out var secondSummary);
        var contentElement = ItemContent(item);
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
            Title = PlainTitle(ItemTitle(item)),
            Author = AuthorName.From(ItemAuthor(item)),
            Published = Date(ItemPublished(item), label),
            Updated = Date(ItemUpdated(item), label) ?? AttrDate(item, "lastmod", label),
            Summary = description is null ? null : PlainFromContent(description),
            ContentHtml = (content ?? description)?.Html,
            Language = Lang(item),
            BaseUrl = BaseOf(contentElement ?? descriptionElement ?? item),
            Categories = ItemCategories(item),
            Enclosures = Enclosures(item),
        };
    }

    /// <summary>&lt;guid&gt;, then rdf:about, then dc:identifier.</summary>
    private string? ItemGuid(XElement item, XElement? guidElement) =>
        Text(guidElement) ?? item.Attribute(XName.Get("about", FeedNamespaces.Rdf))?.Value ?? Text(Child(item, "identifier", DcNs));

    /// <summary>&lt;link&gt;, then the Atom alternate link, then an href attribute on the item (CDF).</summary>
    private string? ItemLink(XElement item)
    {
        var itemBase = BaseOf(item);
        return Url(Text(Child(item, "link", RssNs)), BaseOf(Child(item, "link", RssNs) ?? item))
            ?? AtomLink(item, "alternate", itemBase) ?? Url(AttrAnyCase(item, "href"), itemBase);
    }

    /// <summary>Without a link, a guid that is a permalink (isPermaLink absent or true) and an http(s) URL.</summary>
    private static string? PermalinkGuid(string? guid, XElement? guidElement) =>
        guid is not null && guidElement?.Attribute("isPermaLink")?.Value.Trim().ToLowerInvariant() is null or "true"
            && Uri.TryCreate(guid, UriKind.Absolute, out var guidUrl) && guidUrl.Scheme is "http" or "https"
            ? guidUrl.AbsoluteUri : null;

    /// <summary>
    /// &lt;description&gt;, dc:description, &lt;summary&gt;, then &lt;abstract&gt;. When an item has both &lt;summary&gt; and
    /// &lt;description&gt;, the later of the two is <paramref name="secondSummary"/>, the content if nothing better is there.
    /// </summary>
    private XElement? ItemDescription(XElement item, out XElement? secondSummary)
    {
        var descriptionElement = Child(item, "description", RssNs) ?? Child(item, "description", DcNs) ?? Child(item, "summary", RssNs) ?? Child(item, "abstract", RssNs);
        secondSummary = Child(item, "summary", RssNs) is { } summaryElement && Child(item, "description", RssNs) is { } plainDescription
            ? (summaryElement.IsBefore(plainDescription) ? plainDescription : summaryElement) : null;
        if (secondSummary is not null && descriptionElement == secondSummary)
        {
            descriptionElement = Child(item, "summary", RssNs);
        }
        return descriptionElement;
    }

    /// <summary>content:encoded, xhtml:body, &lt;body&gt;, then &lt;fullitem&gt;.</summary>
    private XElement? ItemContent(XElement item) =>
        Child(item, "encoded", FeedNamespaces.Content) ?? Child(item, "body", FeedNamespaces.Xhtml)
        ?? Child(item, "body", RssNs) ?? Child(item, "fullitem", RssNs);

    /// <summary>&lt;title&gt;, dc:title, media:title, then the media:group's media:title.</summary>
    private XElement? ItemTitle(XElement item) =>
        Child(item, "title", RssNs) ?? Child(item, "title", DcNs) ?? Child(item, "title", MediaNs)
        ?? Child(item, "group", MediaNs)?.Elements().FirstOrDefault(e => Matches(e.Name, "title", MediaNs));

    /// <summary>A plain &lt;author&gt;, dc:creator, atom:author, itunes:author, dc:author, then dc:contributor.</summary>
    private string? ItemAuthor(XElement item) =>
        Text(Child(item, "author", RssNs)) is { } a && !Child(item, "author", RssNs)!.HasElements ? a
            : Text(Child(item, "creator", DcNs)) ?? AtomAuthor(item) ?? Text(Child(item, "author", ItunesNs)) ?? Text(Child(item, "author", DcNs)) ?? Text(Child(item, "contributor", DcNs));

    /// <summary>&lt;pubDate&gt;, dc:date, dc:issued, dc:created, atom:published, then atom:issued.</summary>
    private XElement? ItemPublished(XElement item) =>
        Child(item, "pubDate", RssNs) ?? Child(item, "date", DcNs) ?? Child(item, "issued", DcNs) ?? Child(item, "created", DcNs)
        ?? Child(item, "published", AtomNs) ?? Child(item, "issued", AtomNs);

    /// <summary>dc:modified, atom:updated, then atom:modified (a lastmod attribute after these).</summary>
    private XElement? ItemUpdated(XElement item) =>
        Child(item, "modified", DcNs) ?? Child(item, "updated", AtomNs) ?? Child(item, "modified", AtomNs);

    /// <summary>Every source in this order, duplicates removed: &lt;tags&gt;, &lt;category&gt;, dc:subject, atom:category, media:category, itunes:category.</summary>
    private IReadOnlyList<string> ItemCategories(XElement item) =>
        Distinct(Children(item, "tags", RssNs).SelectMany(t => (Text(t) ?? "").Split(',')).Select(t => (string?)t)
            .Concat(Children(item, "category", RssNs).Select(c => Text(c)))
            .Concat(Children(item, "subject", DcNs).Select(c => Text(c)))
            .Concat(Children(item, "category", AtomNs).Select(c => Attr(c, "term") ?? Attr(c, "label")))
            .Concat(Children(item, "category", MediaNs).Select(c => Text(c) ?? Attr(c, "label")))
            .Concat(item.Descendants().Where(e => Matches(e.Name, "category", ItunesNs)).Select(c => Attr(c, "text"))));

    /// <summary>&lt;ttl&gt; minutes, and sy:updatePeriod divided by sy:updateFrequency.</summary>
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
}
