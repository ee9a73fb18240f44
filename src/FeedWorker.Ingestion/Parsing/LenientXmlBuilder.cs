using System.Text.RegularExpressions;
using System.Xml.Linq;

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
        truncatedItem = false;
        var root = new XElement("_");
        var stack = new List<(XElement Element, Dictionary<string, string> Namespaces)> { (root, new Dictionary<string, string>()) };
        var position = 0;
        foreach (Match m in Token().Matches(text))
        {
            if (m.Index > position)
            {
                AddText(stack[^1].Element, text[position..m.Index]);
            }
            position = m.Index + m.Length;
            if (m.Groups["cdata"].Success)
            {
                stack[^1].Element.Add(new XText(m.Groups["cdata"].Value));
            }
            else if (m.Groups["end"].Success)
            {
                var name = m.Groups["end"].Value;
                var index = stack.FindLastIndex(s => QualifiedName(s.Element) == name);
                if (index > 0)
                {
                    stack.RemoveRange(index, stack.Count - index);
                }
            }
            else if (m.Groups["start"].Success)
            {
                var (parentElement, parentNamespaces) = stack[^1];
                var namespaces = new Dictionary<string, string>(parentNamespaces);
                var attributes = new List<(string Name, string Value)>();
                foreach (Match a in Attribute().Matches(m.Groups["attrs"].Value))
                {
                    var value = System.Net.WebUtility.HtmlDecode(a.Groups["value"].Value);
                    var name = a.Groups["name"].Value;
                    if (name == "xmlns")
                    {
                        namespaces[""] = value;
                    }
                    else if (name.StartsWith("xmlns:", StringComparison.Ordinal))
                    {
                        namespaces[name[6..]] = value;
                    }
                    else
                    {
                        attributes.Add((name, value));
                    }
                }
                var element = new XElement(Resolve(m.Groups["start"].Value, namespaces, isAttribute: false));
                element.AddAnnotation(new SourceName(m.Groups["start"].Value));
                foreach (var (name, value) in attributes)
                {
                    var xname = Resolve(name, namespaces, isAttribute: true);
                    if (element.Attribute(xname) is null)
                    {
                        element.SetAttributeValue(xname, value);
                    }
                }
                parentElement.Add(element);
                if (!m.Groups["selfclose"].Success || m.Groups["selfclose"].Length == 0)
                {
                    stack.Add((element, namespaces));
                }
            }
        }
        if (position < text.Length)
        {
            AddText(stack[^1].Element, text[position..]);
        }
        foreach (var (element, _) in stack.Skip(1))
        {
            if (element.Name.LocalName is "item" or "entry")
            {
                element.Remove();
                truncatedItem = true;
                break;
            }
        }
        var top = root.Elements().FirstOrDefault();
        if (top is null)
        {
            return new XDocument();
        }
        top.Remove();
        return new XDocument(top);
    }

    private static string QualifiedName(XElement element) => element.Annotation<SourceName>()?.Name ?? element.Name.LocalName;

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

    private sealed record SourceName(string Name);

    [GeneratedRegex(@"<!\[CDATA\[(?<cdata>.*?)(?:\]\]>|$)|<!--.*?(?:-->|$)|<\?.*?(?:\?>|$)|<!(?!--)[^>]*>|</(?<end>[^\s>]+)\s*>|<(?<start>[A-Za-z_][^\s/>]*)(?<attrs>(?:[^>""']|""[^""]*""|'[^']*')*?)(?<selfclose>/?)>", RegexOptions.Singleline)]
    private static partial Regex Token();

    [GeneratedRegex(@"(?<name>[^\s=/]+)\s*=\s*(?:""(?<value>[^""]*)""|'(?<value>[^']*)'|(?<value>[^\s>]+))")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
