using System.Text;
using System.Xml.Linq;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>Plain text from feed HTML, and HTML from XML element content.</summary>
internal static partial class FeedText
{
    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    };

    /// <summary>True when the text carries markup or references that need an HTML reading.</summary>
    public static bool LooksLikeHtml(string text) =>
        text.Contains('&') || (text.Contains('<') && System.Text.RegularExpressions.Regex.IsMatch(text, "<[A-Za-z/!]"));

    public static string HtmlToText(HtmlParser parser, string html)
    {
        if (!LooksLikeHtml(html))
        {
            return Collapse(html);
        }
        return CharacterReferences.TryDecode(html) is { } text ? Collapse(text) : OneParagraphText(html) ?? ParsedText(parser, html);
    }

    /// <summary>
    /// The text of a summary that is one bare paragraph of text ("&lt;p&gt;Excerpt [&amp;#8230;]&lt;/p&gt;", the shape
    /// of most excerpts), read as <see cref="ParsedText"/> reads it without a document parse; null for any other shape.
    /// Of the checks <see cref="IsBoilerplate"/> makes, only the "Advertisement" label can match a paragraph with no
    /// attributes and no links.
    /// </summary>
    internal static string? OneParagraphText(string html)
    {
        var outer = html.AsSpan().Trim(HtmlWhiteSpace);
        if (outer.Length < 7 || !outer.StartsWith("<p>", StringComparison.OrdinalIgnoreCase) || !outer.EndsWith("</p>", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var inner = outer[3..^4].ToString();
        if (CharacterReferences.TryDecode(inner) is not { } text)
        {
            return null;
        }
        // the parser reads CR LF and a lone CR as LF, which the label's length counts
        var parsed = text.Contains('\r') ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;
        return BoilerplateFilter.IsAdvertisementText(parsed) ? "" : Collapse(parsed);
    }

    /// <summary>The characters HTML reads as white space between tags.</summary>
    private const string HtmlWhiteSpace = " \t\n\r\f";

    /// <summary><see cref="HtmlToText"/> through the HTML parser, whatever the input.</summary>
    internal static string ParsedText(HtmlParser parser, string html)
    {
        using var parsed = ParsedHtml.InBody(parser, ParserInput.Prepare(html));
        var builder = new StringBuilder(html.Length);
        Walk(parsed.Body, builder);
        return Collapse(builder.ToString());
    }

    private static void Walk(INode node, StringBuilder builder)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    builder.Append(text.Data);
                    break;
                case IElement element when element.LocalName is "script" or "style" or "template" || IsBoilerplate(element):
                    break;
                case IElement element:
                    var block = BlockElements.Contains(element.LocalName);
                    if (block)
                    {
                        builder.Append(' ');
                    }
                    Walk(element, builder);
                    if (block)
                    {
                        builder.Append(' ');
                    }
                    break;
            }
        }
    }

    /// <summary>What the cleaner takes out of article bodies (share bars, "The post … appeared first on …", tracker links) goes from summaries too.</summary>
    private static bool IsBoilerplate(IElement element)
    {
        var text = new ElementText(element);
        return BoilerplateFilter.IsShareBlock(element) || BoilerplateFilter.IsAppearedFirstOn(element, text) || BoilerplateFilter.IsPageFurniture(element, text)
            || (element.LocalName == "a" && TrackerFilter.IsTrackerUrl(element.GetAttribute("href"), null));
    }

    public static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>
    /// Plain text as HTML paragraphs: a blank line starts a paragraph, a single line break stays a line break, and
    /// everything is escaped, so "&lt;" and "&amp;" in the text stay text.
    /// </summary>
    public static string TextToHtml(string text)
    {
        var paragraphs = BlankLine().Split(text.ReplaceLineEndings("\n").Trim())
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => "<p>" + string.Join("<br>", p.Trim().Split('\n').Select(line => EscapeHtml(line.Trim()))) + "</p>");
        return string.Concat(paragraphs);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\n[ \t]*\n\s*")]
    private static partial System.Text.RegularExpressions.Regex BlankLine();

    public static string EscapeHtml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

    /// <summary>The children of an element written out as HTML (no namespace declarations or prefixes).</summary>
    public static string InnerHtml(XElement element)
    {
        var builder = new StringBuilder();
        // An explicit stack, not recursion: feed markup can nest tens of thousands of levels deep,
        // and a stack overflow cannot be caught: it would end the whole worker.
        var pending = new Stack<(XNode Node, bool Close)>();
        PushChildren(element, pending);
        while (pending.TryPop(out var item))
        {
            switch (item.Node)
            {
                case XElement closing when item.Close:
                    builder.Append("</").Append(closing.Name.LocalName).Append('>');
                    break;
                case XText text:
                    builder.Append(EscapeHtml(text.Value));
                    break;
                case XElement opening:
                    if (WriteStartTag(opening, builder))
                    {
                        pending.Push((opening, true));
                        PushChildren(opening, pending);
                    }
                    break;
            }
        }
        return builder.ToString();
    }

    private static void PushChildren(XElement element, Stack<(XNode Node, bool Close)> pending)
    {
        foreach (var child in element.Nodes().Reverse())
        {
            pending.Push((child, false));
        }
    }

    /// <summary>Writes the start tag; false when the element is an empty void element, written whole.</summary>
    private static bool WriteStartTag(XElement element, StringBuilder builder)
    {
        var name = element.Name.LocalName;
        builder.Append('<').Append(name);
        foreach (var attribute in element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration)
            {
                continue;
            }
            // xml: and xlink: are the prefixes an HTML parser maps back to their namespaces (xlink:href on SVG/MathML links)
            var attributeName = attribute.Name.Namespace == XNamespace.Xml ? "xml:" + attribute.Name.LocalName
                : attribute.Name.Namespace == XLink ? "xlink:" + attribute.Name.LocalName
                : attribute.Name.LocalName;
            builder.Append(' ').Append(attributeName).Append("=\"")
                .Append(attribute.Value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)).Append('"');
        }
        if (element.FirstNode is null && IsVoid(name))
        {
            builder.Append(" />");
            return false;
        }
        builder.Append('>');
        return true;
    }

    private static bool IsVoid(string name) => name is "area" or "base" or "br" or "col" or "embed" or "hr" or "img" or "input" or "link" or "meta" or "param" or "source" or "track" or "wbr";
}
