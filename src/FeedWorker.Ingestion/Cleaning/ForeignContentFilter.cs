using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// Keeps a strict, static subset of inline SVG and MathML (drawings and formulas in articles). HtmlSanitizer only
/// knows HTML names, so these subtrees are cleaned here by namespace-aware allowlists and kept away from it.
/// Nothing that can run, load, animate or embed survives: no script/style/foreignObject/use/image/animate/set,
/// no event handlers, no HTML inside integration points (title/mi/mo/mn/ms/mtext keep only their text; desc keeps
/// plain phrasing elements such as abbr, as feedparser does), links only to absolute http(s) URLs, and attribute
/// values restricted to plain characters.
/// </summary>
internal static partial class ForeignContentFilter
{
    private const string SvgNamespace = "http://www.w3.org/2000/svg";
    private const string MathNamespace = "http://www.w3.org/1998/Math/MathML";
    private const string XLinkNamespace = "http://www.w3.org/1999/xlink";
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private static readonly HashSet<string> SvgElements = new(StringComparer.Ordinal)
    {
        "svg", "g", "defs", "title", "desc", "circle", "ellipse", "line", "path", "polygon", "polyline", "rect", "text", "tspan",
        "a", "linearGradient", "radialGradient", "stop",
    };

    private static readonly HashSet<string> MathElements = new(StringComparer.Ordinal)
    {
        "math", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace", "mfrac", "msqrt", "mroot", "msup", "msub", "msubsup",
        "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror", "mfenced",
    };

    /// <summary>Elements whose children a browser parses as HTML: only their text is kept.</summary>
    private static readonly HashSet<string> TextOnlyElements = new(StringComparer.Ordinal) { "title", "desc", "mi", "mo", "mn", "ms", "mtext" };

    private static readonly HashSet<string> SvgAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "version", "baseProfile", "width", "height", "viewBox", "preserveAspectRatio", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy",
        "r", "rx", "ry", "fx", "fy", "dx", "dy", "d", "points", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
        "stroke-linecap", "stroke-linejoin", "stroke-opacity", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit",
        "opacity", "transform", "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
        "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "visibility", "clip-rule", "color", "id", "class",
    };

    private static readonly HashSet<string> MathAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "mathvariant", "mathcolor", "mathbackground", "mathsize", "display", "displaystyle", "dir", "fence", "separator",
        "separators", "stretchy", "symmetric", "lspace", "rspace", "accent", "accentunder", "linethickness", "scriptlevel",
        "columnalign", "rowalign", "columnspan", "rowspan", "columnlines", "rowlines", "frame", "width", "height", "depth",
        "notation", "open", "close", "id", "class",
    };

    /// <summary>XLink attributes besides href, each with the values it may take (null: any plain value).</summary>
    private static readonly Dictionary<string, string[]?> XLinkAttributes = new(StringComparer.Ordinal)
    {
        ["type"] = ["simple"],
        ["show"] = ["new", "replace"], // not "embed": the target is only ever a link
        ["title"] = null,
    };

    private const string HtmlNamespace = "http://www.w3.org/1999/xhtml";

    /// <summary>
    /// HTML an SVG desc may keep (a browser parses desc content as HTML): phrasing that cannot run, load or change
    /// how the rest is parsed, with no attribute but title. Other elements are unwrapped, code and form controls removed.
    /// </summary>
    private static readonly HashSet<string> DescPhrasing = new(StringComparer.Ordinal)
    {
        "abbr", "b", "bdi", "br", "cite", "code", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small", "span",
        "strong", "sub", "sup", "time", "u", "var",
    };

    /// <summary>
    /// Cleans a top-level svg/math subtree and swaps it for a placeholder, so the HTML sanitizer (which would drop it)
    /// never sees it; a drawing that is not allowed is dropped. Adds the pair to put back with <see cref="Restore"/>
    /// after sanitizing to <paramref name="taken"/>.
    /// </summary>
    /// <returns>The placeholder, now where the drawing was.</returns>
    public static IElement Take(IElement root, Uri? baseUrl, List<(IElement Placeholder, IElement Root)> taken)
    {
        var placeholder = root.Owner!.CreateElement("span");
        root.Replace(placeholder);
        if (IsAllowed(root))
        {
            CleanElement(root, baseUrl);
            root.SetAttribute(XmlnsNamespace, "xmlns", root.NamespaceUri!);
            taken.Add((placeholder, root));
        }
        return placeholder;
    }

    public static void Restore(IElement body, List<(IElement Placeholder, IElement Root)> taken)
    {
        foreach (var (placeholder, root) in taken)
        {
            if (IsWithin(placeholder, body))
            {
                placeholder.Replace(root); // a placeholder removed by the sanitizer takes its drawing with it
            }
        }
    }

    private static bool IsWithin(INode node, IElement body)
    {
        var current = node;
        while (current.Parent is { } parent && current != body)
        {
            current = parent;
        }
        return current == body;
    }

    private static bool IsAllowed(IElement element) => element.NamespaceUri switch
    {
        SvgNamespace => SvgElements.Contains(element.LocalName),
        MathNamespace => MathElements.Contains(element.LocalName),
        _ => false,
    };

    private static void CleanElement(IElement element, Uri? baseUrl)
    {
        CleanAttributes(element, baseUrl);
        if (element is { LocalName: "desc", NamespaceUri: SvgNamespace })
        {
            KeepPhrasing(element);
            return;
        }
        if (TextOnlyElements.Contains(element.LocalName))
        {
            element.TextContent = element.TextContent;
            return;
        }
        foreach (var child in element.ChildNodes.ToList())
        {
            if (child is IElement childElement && IsAllowed(childElement))
            {
                CleanElement(childElement, baseUrl);
            }
            else if (child is not IText)
            {
                element.RemoveChild(child); // HTML, unknown or active elements, comments: out with their content
            }
        }
    }

    private static void KeepPhrasing(IElement parent)
    {
        foreach (var child in parent.ChildNodes.ToList())
        {
            if (child is IElement { NamespaceUri: HtmlNamespace } html && DescPhrasing.Contains(html.LocalName))
            {
                foreach (var attribute in html.Attributes.ToList())
                {
                    if (attribute is not { NamespaceUri: null or "", LocalName: "title" })
                    {
                        html.RemoveAttribute(attribute.NamespaceUri, attribute.LocalName);
                    }
                }
                KeepPhrasing(html);
            }
            else if (child is IElement { LocalName: "script" or "style" or "template" or "noscript" or "textarea" or "select" or "xmp" or "iframe" or "noembed" or "noframes" })
            {
                parent.RemoveChild(child); // code and form values are no text of the description
            }
            else if (child is IElement other)
            {
                KeepPhrasing(other);
                other.Replace([.. other.ChildNodes]); // unwrapped: its allowed content stays
            }
            else if (child is not IText)
            {
                parent.RemoveChild(child);
            }
        }
    }

    private static void CleanAttributes(IElement element, Uri? baseUrl)
    {
        var allowed = element.NamespaceUri == SvgNamespace ? SvgAttributes : MathAttributes;
        var usesXLink = false;
        foreach (var attribute in element.Attributes.ToList())
        {
            var keep = attribute.NamespaceUri switch
            {
                XLinkNamespace when attribute.LocalName == "href" => IsLinkable(element) && TryAbsolutize(attribute, baseUrl),
                XLinkNamespace => XLinkAttributes.TryGetValue(attribute.LocalName, out var values) && IsPlainValue(attribute.Value)
                    && (values is null || values.Contains(attribute.Value.Trim(), StringComparer.OrdinalIgnoreCase)),
                null or "" when attribute.LocalName == "href" => IsLinkable(element) && TryAbsolutize(attribute, baseUrl),
                null or "" => allowed.Contains(attribute.LocalName) && IsPlainValue(attribute.Value),
                _ => false, // xmlns declarations are written afresh below; other namespaces are not ours to judge
            };
            if (!keep)
            {
                element.RemoveAttribute(attribute.NamespaceUri, attribute.LocalName);
            }
            else if (attribute.NamespaceUri == XLinkNamespace)
            {
                usesXLink = true;
            }
            else if (attribute.LocalName == "href")
            {
                // SVG 2's plain href, written as xlink:href, which every SVG and MathML renderer reads
                element.RemoveAttribute(attribute.NamespaceUri, attribute.LocalName);
                element.SetAttribute(XLinkNamespace, "xlink:href", attribute.Value);
                usesXLink = true;
            }
        }
        if (usesXLink)
        {
            element.SetAttribute(XmlnsNamespace, "xmlns:xlink", XLinkNamespace);
        }
    }

    /// <summary>svg &lt;a&gt; and MathML elements (MathML lets any element be a link); nothing else may point anywhere.</summary>
    private static bool IsLinkable(IElement element) =>
        element.NamespaceUri == MathNamespace || element.LocalName == "a";

    private static bool TryAbsolutize(IAttr attribute, Uri? baseUrl)
    {
        var value = attribute.Value.Trim();
        if (Uri.TryCreate(value, UriKind.Absolute, out var absolute) && !absolute.IsFile)
        {
            attribute.Value = value; // as written: only the scheme needs checking
            return absolute.Scheme is "http" or "https";
        }
        if (baseUrl is not null && Uri.TryCreate(baseUrl, value, out var resolved) && resolved.Scheme is "http" or "https")
        {
            attribute.Value = resolved.AbsoluteUri;
            return true;
        }
        return false;
    }

    /// <summary>Numbers, words, lists, transforms and in-document paint references (url(#id)); no quotes, colons or escapes.</summary>
    private static bool IsPlainValue(string value) =>
        PlainValue().IsMatch(value) && (!value.Contains("url", StringComparison.OrdinalIgnoreCase) || LocalPaintReference().IsMatch(value));

    [GeneratedRegex(@"^[-\w\s.,#%()]*$")]
    private static partial Regex PlainValue();

    [GeneratedRegex(@"^\s*url\(#[-\w]+\)\s*$")]
    private static partial Regex LocalPaintReference();
}
