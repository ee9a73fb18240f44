using System.Text;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>Plain text from feed HTML, and HTML from XML element content.</summary>
internal static class FeedText
{
    /// <summary>True when the text carries markup or references that need an HTML reading.</summary>
    public static bool LooksLikeHtml(string text) =>
        text.Contains('&') || (text.Contains('<') && System.Text.RegularExpressions.Regex.IsMatch(text, "<[A-Za-z/!]"));

    /// <summary>Text of an HTML fragment, paragraphs kept apart (the cleaner's text rules, without sanitizing: text needs none).</summary>
    public static string HtmlToText(HtmlParser parser, string html)
    {
        if (!LooksLikeHtml(html))
        {
            return html.Trim();
        }
        var document = parser.ParseDocument("<!DOCTYPE html><body>" + html);
        return PlainText.Of(document.Body!);
    }

    /// <summary>Single-line text for titles.</summary>
    public static string HtmlToLine(HtmlParser parser, string html) => Collapse(HtmlToText(parser, html));

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

    public static string EscapeHtml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>The children of an element written out as HTML (no namespace declarations or prefixes).</summary>
    public static string InnerHtml(XElement element)
    {
        var builder = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            WriteHtml(node, builder);
        }
        return builder.ToString();
    }

    private static void WriteHtml(XNode node, StringBuilder builder)
    {
        switch (node)
        {
            case XText text:
                builder.Append(EscapeHtml(text.Value));
                break;
            case XElement element:
                var name = element.Name.LocalName;
                builder.Append('<').Append(name);
                foreach (var attribute in element.Attributes())
                {
                    if (attribute.IsNamespaceDeclaration)
                    {
                        continue;
                    }
                    var attributeName = attribute.Name.Namespace == XNamespace.Xml ? "xml:" + attribute.Name.LocalName : attribute.Name.LocalName;
                    builder.Append(' ').Append(attributeName).Append("=\"")
                        .Append(attribute.Value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)).Append('"');
                }
                if (!element.Nodes().Any() && IsVoid(name))
                {
                    builder.Append(" />");
                    break;
                }
                builder.Append('>');
                foreach (var child in element.Nodes())
                {
                    WriteHtml(child, builder);
                }
                builder.Append("</").Append(name).Append('>');
                break;
        }
    }

    private static bool IsVoid(string name) => name is "area" or "base" or "br" or "col" or "embed" or "hr" or "img" or "input" or "link" or "meta" or "param" or "source" or "track" or "wbr";
}
