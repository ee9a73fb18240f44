using System.Xml.Linq;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>Element content as HTML and as text, whatever the format: type and mode attributes, XHTML, base64, Media RSS text.</summary>
internal sealed partial class XmlFeedReader
{
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
        _warnings.Add($"{Owner(element)}, <{element.Name.LocalName}>: HTML nested deeper than {HtmlNesting.MaxDepth} levels was flattened");
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
                _warnings.Add($"<{element.Name.LocalName}> claims base64 but is not; read as text");
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
        value = ContentText(element);
        if (mode != "escaped" && IsPlainType(type, defaultText))
        {
            return new Content(FeedText.EscapeHtml(value), value);
        }
        return new Content(value, null);
    }

    /// <summary>
    /// The element's text. <see cref="XElement.Value"/> copies content held in a CDATA section through a StringBuilder,
    /// and most articles are one CDATA section: a lone text or CDATA node is read as it is.
    /// </summary>
    private static string ContentText(XElement element) =>
        element.FirstNode is XText only && only.NextNode is null ? only.Value : element.Value;

    private static bool IsPlainType(string? type, bool defaultText) =>
        type is "text" or "text/plain" || (type is null && defaultText);

    private string PlainFromContent(Content content) =>
        content.PlainText is { } plain ? FeedText.Collapse(plain) : FeedText.HtmlToText(_html, content.Html);

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
        return FeedText.HtmlToText(_html, content.Html);
    }

    private string? PlainText(XElement? element) => element is null ? null : PlainFromContent(ContentOf(element, defaultText: false));
}
