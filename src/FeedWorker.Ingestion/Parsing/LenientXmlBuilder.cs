using System.Text.RegularExpressions;
using System.Xml.Linq;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// Builds a tree from markup a strict parser rejected: mismatched end tags close what they match or
/// are ignored, undeclared prefixes get a placeholder namespace, and what is open at the end is closed.
/// An item cut off by the end of the document is dropped. Hand-written: no XML library is lenient.
/// </summary>
internal static partial class LenientXmlBuilder
{
    private static readonly Dictionary<string, string> KnownPrefixes = new(StringComparer.Ordinal)
    {
        ["content"] = FeedNamespaces.Content,
        ["dc"] = FeedNamespaces.DublinCore,
        ["atom"] = FeedNamespaces.Atom10,
        ["media"] = FeedNamespaces.Media,
        ["itunes"] = FeedNamespaces.Itunes,
        ["rdf"] = FeedNamespaces.Rdf,
        ["sy"] = FeedNamespaces.Syndication,
        ["xhtml"] = FeedNamespaces.Xhtml,
    };

    public static XDocument Build(string text, out bool truncatedItem)
    {
        var tree = new OpenElements(new XElement("_"));
        var position = 0;
        foreach (Match m in Token().Matches(text))
        {
            if (m.Index > position)
            {
                AddText(tree.Current, text[position..m.Index]);
            }
            position = m.Index + m.Length;
            if (m.Groups["cdata"].Success)
            {
                tree.Current.Add(new XText(m.Groups["cdata"].Value));
            }
            else if (m.Groups["end"].Success)
            {
                tree.Close(m.Groups["end"].Value);
            }
            else if (m.Groups["start"].Success)
            {
                var parentNamespaces = tree.CurrentNamespaces;
                Dictionary<string, string>? declared = null;
                var attributes = new List<(string Name, string Value)>();
                foreach (Match a in Attribute().Matches(m.Groups["attrs"].Value))
                {
                    var value = System.Net.WebUtility.HtmlDecode(a.Groups["value"].Value);
                    var name = a.Groups["name"].Value;
                    if (name == "xmlns" || name.StartsWith("xmlns:", StringComparison.Ordinal))
                    {
                        declared ??= new Dictionary<string, string>(parentNamespaces);
                        declared[name == "xmlns" ? "" : name[6..]] = value;
                    }
                    else
                    {
                        attributes.Add((name, value));
                    }
                }
                var namespaces = declared ?? parentNamespaces; // shared with the parent unless it declares its own
                var sourceName = m.Groups["start"].Value;
                var element = new XElement(Resolve(sourceName, namespaces, isAttribute: false));
                foreach (var (name, value) in attributes)
                {
                    var xname = Resolve(name, namespaces, isAttribute: true);
                    if (element.Attribute(xname) is null)
                    {
                        element.SetAttributeValue(xname, value);
                    }
                }
                if (!m.Groups["selfclose"].Success || m.Groups["selfclose"].Length == 0)
                {
                    tree.Open(element, sourceName, namespaces);
                }
                else
                {
                    tree.Current.Add(element);
                }
            }
        }
        if (position < text.Length)
        {
            AddText(tree.Current, text[position..]);
        }
        var root = tree.CloseAll(out truncatedItem);
        var top = root.Elements().FirstOrDefault();
        if (top is null)
        {
            return new XDocument();
        }
        top.Remove();
        return new XDocument(top);
    }

    /// <summary>
    /// The elements still open, each attached to its parent only when it closes. Adding a child to an element that
    /// is already in a tree costs LINQ to XML a walk up to the root (change notifications), which made 100,000
    /// unclosed tags quadratic (~100 s); an open element is never in a tree, so every add is O(1). End tags find
    /// their element through a per-name chain instead of searching the stack.
    /// </summary>
    private sealed class OpenElements(XElement root)
    {
        private readonly record struct Frame(XElement Element, Dictionary<string, string> Namespaces);

        private readonly NamedStack<Frame> _frames = Root(root);

        private static NamedStack<Frame> Root(XElement root)
        {
            var frames = new NamedStack<Frame>();
            frames.Push("", new Frame(root, new Dictionary<string, string>())); // no end tag has an empty name
            return frames;
        }

        public XElement Current => _frames[_frames.Count - 1].Element;

        public Dictionary<string, string> CurrentNamespaces => _frames[_frames.Count - 1].Namespaces;

        public void Open(XElement element, string name, Dictionary<string, string> namespaces) =>
            _frames.Push(name, new Frame(element, namespaces));

        /// <summary>Closes the innermost open element of that name and everything inside it; ignored when none is open.</summary>
        public void Close(string name)
        {
            if (_frames.TryFind(name, out var index) && index > 0)
            {
                CloseTo(index, dropAt: -1);
            }
        }

        /// <summary>Closes everything; an item or entry still open (cut off by the end of the document) is dropped.</summary>
        public XElement CloseAll(out bool truncatedItem)
        {
            var dropAt = -1;
            for (var i = 1; i < _frames.Count && dropAt < 0; i++)
            {
                dropAt = _frames[i].Element.Name.LocalName is "item" or "entry" ? i : -1;
            }
            CloseTo(1, dropAt);
            truncatedItem = dropAt >= 0;
            return root;
        }

        private void CloseTo(int index, int dropAt)
        {
            for (var i = _frames.Count - 1; i >= index; i--)
            {
                var frame = _frames.Pop();
                if (i != dropAt)
                {
                    _frames[i - 1].Element.Add(frame.Element);
                }
            }
        }
    }

    private static void AddText(XElement parent, string raw)
    {
        var noComments = Comment().Replace(raw, "");
        if (noComments.Length > 0)
        {
            parent.Add(new XText(System.Net.WebUtility.HtmlDecode(noComments)));
        }
    }

    private static XName Resolve(string qualified, Dictionary<string, string> namespaces, bool isAttribute)
    {
        var colon = qualified.IndexOf(':');
        if (colon < 0)
        {
            return isAttribute || !namespaces.TryGetValue("", out var defaultNs) ? XName.Get(XmlConvert(qualified)) : XName.Get(XmlConvert(qualified), defaultNs);
        }
        var prefix = qualified[..colon];
        var local = XmlConvert(qualified[(colon + 1)..]);
        if (prefix == "xml")
        {
            return XNamespace.Xml + local;
        }
        if (namespaces.TryGetValue(prefix, out var ns) || KnownPrefixes.TryGetValue(prefix, out ns))
        {
            return XName.Get(local, ns);
        }
        return XName.Get(local, "urn:undeclared-prefix:" + prefix);
    }

    private static string XmlConvert(string name) => System.Xml.XmlConvert.EncodeLocalName(name);

    [GeneratedRegex(@"<!\[CDATA\[(?<cdata>.*?)(?:\]\]>|$)|<!--.*?(?:-->|$)|<\?.*?(?:\?>|$)|<!(?!--)[^>]*>|</(?<end>[^\s>]+)\s*>|<(?<start>[A-Za-z_][^\s/>]*)(?<attrs>(?:[^>""']|""[^""]*""|'[^']*')*?)(?<selfclose>/?)>", RegexOptions.Singleline)]
    private static partial Regex Token();

    [GeneratedRegex(@"(?<name>[^\s=/]+)\s*=\s*(?:""(?<value>[^""]*)""|'(?<value>[^']*)'|(?<value>[^\s>]+))")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
