using System.Xml.Linq;
using CodeHollow.FeedReader.Feeds;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>Atom 0.3 and 1.0: the feed and its entries. Each finder names the element that wins.</summary>
internal sealed partial class XmlFeedReader
{
    private ParseResult ReadAtom(XElement root)
    {
        var format = root.Name.NamespaceName == FeedNamespaces.Atom10 ? FeedFormat.Atom10 : FeedFormat.Atom03;
        var entries = FeedReaderEntries(root) ?? Children(root, "entry", AtomNs).ToList();
        var feed = new ParsedFeed
        {
            Format = format,
            Title = PlainTitle(Child(root, "title", AtomNs)),
            Link = AtomLink(root, "alternate", BaseOf(root)),
            Description = PlainText(AtomSubtitle(root)),
            Language = Language(Lang(root)),
            Updated = Date(AtomFeedUpdated(root), "the feed"),
            Articles = entries.Select((e, i) => AtomEntry(e, i)).ToList(),
        };
        return ParseResult.Success(feed, _warnings);
    }

    /// <summary>&lt;subtitle&gt; (1.0), then &lt;tagline&gt; (0.3).</summary>
    private XElement? AtomSubtitle(XElement root) => Child(root, "subtitle", AtomNs) ?? Child(root, "tagline", AtomNs);

    /// <summary>&lt;updated&gt; (1.0), then &lt;modified&gt; (0.3).</summary>
    private XElement? AtomFeedUpdated(XElement root) => Child(root, "updated", AtomNs) ?? Child(root, "modified", AtomNs);

    private List<XElement>? FeedReaderEntries(XElement root)
    {
        try
        {
            var elements = FeedReaderSkeleton.Originals(new AtomFeed(string.Empty, FeedReaderSkeleton.Of(root)).Items);
            return elements?.Count == Children(root, "entry", AtomNs).Count() ? elements : null;
        }
        catch (Exception e) when (e is NullReferenceException or FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    private ParsedArticle AtomEntry(XElement entry, int index)
    {
        var summaryElement = Child(entry, "summary", AtomNs);
        var contentElement = EntryContent(entry);
        var summary = summaryElement is null ? null : ContentOf(summaryElement, defaultText: true);
        var content = contentElement is null || contentElement.Attribute("src") is not null ? null : ContentOf(contentElement, defaultText: true);
        var label = ItemLabel(entry, index);
        return new ParsedArticle
        {
            Guid = EntryId(entry),
            Url = AtomLink(entry, "alternate", BaseOf(entry)),
            Title = PlainTitle(Child(entry, "title", AtomNs)),
            Author = AuthorName.From(EntryAuthor(entry)),
            Published = Date(EntryPublished(entry), label),
            Updated = Date(EntryUpdated(entry), label),
            Summary = summary is null ? null : PlainFromContent(summary),
            ContentHtml = (content ?? summary)?.Html,
            Language = Lang(contentElement ?? entry),
            BaseUrl = BaseOf(contentElement ?? summaryElement ?? entry),
            Categories = EntryCategories(entry),
            Enclosures = Enclosures(entry),
        };
    }

    /// <summary>&lt;content&gt;, then content:encoded (a content with src="…" points elsewhere and gives no text).</summary>
    private XElement? EntryContent(XElement entry) => Child(entry, "content", AtomNs) ?? Child(entry, "encoded", FeedNamespaces.Content);

    /// <summary>&lt;id&gt;; a relative one ("/…", "./…") resolved against its xml:base.</summary>
    private string? EntryId(XElement entry) =>
        Text(Child(entry, "id", AtomNs)) is { } rawId && (rawId.StartsWith('/') || rawId.StartsWith('.')) ? Url(rawId, BaseOf(Child(entry, "id", AtomNs))) : Text(Child(entry, "id", AtomNs));

    /// <summary>The entry's &lt;author&gt;, dc:creator, then the feed's &lt;author&gt;.</summary>
    private string? EntryAuthor(XElement entry) =>
        AtomAuthor(entry) ?? Text(Child(entry, "creator", DcNs)) ?? AtomAuthor(entry.Parent, allowInherit: true);

    /// <summary>&lt;published&gt; (1.0), &lt;issued&gt;, &lt;created&gt; (0.3), then dc:date.</summary>
    private XElement? EntryPublished(XElement entry) =>
        Child(entry, "published", AtomNs) ?? Child(entry, "issued", AtomNs) ?? Child(entry, "created", AtomNs) ?? Child(entry, "date", DcNs);

    /// <summary>The last &lt;updated&gt;, then &lt;modified&gt; (0.3).</summary>
    private XElement? EntryUpdated(XElement entry) => Children(entry, "updated", AtomNs).LastOrDefault() ?? Child(entry, "modified", AtomNs);

    /// <summary>&lt;category&gt; term, label or text, then dc:subject; duplicates removed.</summary>
    private IReadOnlyList<string> EntryCategories(XElement entry) =>
        Distinct(Children(entry, "category", AtomNs).Select(c => Attr(c, "term") ?? Attr(c, "label") ?? Text(c))
            .Concat(Children(entry, "subject", DcNs).Select(c => Text(c))));

    /// <summary>&lt;name&gt;, else &lt;email&gt;, else &lt;uri&gt;, else the element's own text. The feed's author only when asked for from the feed.</summary>
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

    /// <summary>The first link with the rel and an HTML type, then any with the rel; for alternate, any link that is not enclosure, self, edit, replies, license or hub.</summary>
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
}
