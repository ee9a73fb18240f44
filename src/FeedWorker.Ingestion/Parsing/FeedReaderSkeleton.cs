using System.Xml.Linq;
using CodeHollow.FeedReader.Feeds;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// A feed document as CodeHollow.FeedReader reads it for its item list. The library reads every field of every item, and
/// each article's HTML costs it two copies (a CDATA section is read through a StringBuilder, then HTML-decoded): a fifth
/// of what parsing the farm's feeds allocated, for fields the reader never uses. The skeleton has the document's
/// elements and attributes down to <see cref="MaxDepth"/> levels below the root, and only its text up to
/// <see cref="MaxTextLength"/> characters, so the library still reads the structure, the names and the short values
/// (dates, identifiers) as written. <see cref="Originals"/> maps the items the library returns back to the document.
/// </summary>
internal static class FeedReaderSkeleton
{
    /// <summary>Below the root: channel, item, field, and a field's parts (an author's name, a media group's content).</summary>
    internal const int MaxDepth = 4;

    internal const int MaxTextLength = 64;

    /// <summary>
    /// The copy of <paramref name="container"/> (the RSS channel or the Atom feed), inside a copy of its whole document:
    /// the library reads an RSS 1.0 channel's items from its parent.
    /// </summary>
    public static XElement Of(XElement container)
    {
        var root = Copy(container.Document?.Root ?? container, depth: 0);
        return root.Annotation<XElement>() == container ? root : root.Elements().First(e => e.Annotation<XElement>() == container);
    }

    /// <summary>The document's elements the library's items were read from, or null when one has none.</summary>
    public static List<XElement>? Originals(IEnumerable<BaseFeedItem> items)
    {
        var originals = new List<XElement>();
        foreach (var item in items)
        {
            if (item.Element?.Annotation<XElement>() is not { } original)
            {
                return null;
            }
            originals.Add(original);
        }
        return originals;
    }

    private static XElement Copy(XElement element, int depth)
    {
        var copy = new XElement(element.Name, element.Attributes());
        copy.AddAnnotation(element);
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement child when depth < MaxDepth:
                    copy.Add(Copy(child, depth + 1));
                    break;
                case XText text when text.Value.Length <= MaxTextLength:
                    copy.Add(new XText(text.Value));
                    break;
            }
        }
        return copy;
    }
}
