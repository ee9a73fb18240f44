using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Ganss.Xss;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// Cleans article HTML in one pass over one DOM: parse once, drop unsafe and boilerplate content,
/// sanitize in place (allowlist, absolute URLs), decorate links, then serialize and extract text.
/// Safe for concurrent use: the sanitizer is configured once and only read afterwards (HtmlSanitizer
/// documents Sanitize/SanitizeDom as thread-safe under that condition); every call parses its own document.
/// </summary>
public sealed class HtmlCleaner : IHtmlCleaner
{
    /// <summary>
    /// Elements dropped with their content: with KeepChildNodes the sanitizer would keep their text (a script's code).
    /// object and applet are not listed: the sanitizer unwraps them, keeping their HTML fallback content.
    /// </summary>
    private const string ContentlessElements =
        "script, style, noscript, template, iframe, frame, frameset, noframes, embed, param, svg, math, "
        + "head, title, meta, link, base, button, select, textarea, input, datalist, canvas, xmp, plaintext, noembed";

    private const string LinkRel = "noopener noreferrer nofollow";

    private readonly HtmlSanitizer _sanitizer = FeedSanitizer.Create();

    public CleanedHtml Clean(string html, Uri? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(html);
        var body = Parse(html);
        RemoveContentless(body);
        RemoveTrackersAndBoilerplate(body, baseUrl);
        _sanitizer.SanitizeDom((IHtmlDocument)body.Owner!, (IHtmlElement)body, baseUrl?.AbsoluteUri ?? "");
        DecorateLinks(body);
        var clean = body.ChildNodes.ToHtml(_sanitizer.OutputFormatter).Trim();
        return new CleanedHtml(clean, PlainText.Of(body));
    }

    public string ToText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        // No sanitizing needed for text: what it would unwrap keeps its text, what must go is removed here.
        var body = Parse(html);
        RemoveContentless(body);
        RemoveTrackersAndBoilerplate(body, null);
        return PlainText.Of(body);
    }

    // The factory shares one CSS-enabled configuration (the sanitizer needs CSS parsing to filter style);
    // each call gets its own document.
    private IElement Parse(string html) =>
        _sanitizer.HtmlParserFactory().ParseDocument("<!DOCTYPE html><html><head></head><body>" + html).Body!;

    private static void RemoveContentless(IElement body)
    {
        foreach (var element in body.QuerySelectorAll(ContentlessElements).ToList())
        {
            element.Remove();
        }
    }

    private static void RemoveTrackersAndBoilerplate(IElement body, Uri? baseUrl)
    {
        foreach (var element in body.QuerySelectorAll("*").ToList())
        {
            if (element.Parent is null)
            {
                continue; // inside a block removed earlier in this loop
            }
            if (element.LocalName == "img")
            {
                LazyImages.Promote(element);
                if (TrackerFilter.IsPixel(element) || TrackerFilter.IsTrackerUrl(element.GetAttribute("src"), baseUrl))
                {
                    RemoveWithEmptyLink(element);
                }
            }
            else if (BoilerplateFilter.IsShareBlock(element) || BoilerplateFilter.IsAppearedFirstOn(element)
                || element.LocalName == "a" && TrackerFilter.IsTrackerUrl(element.GetAttribute("href"), baseUrl))
            {
                element.Remove();
            }
        }
    }

    /// <summary>A pixel is often wrapped in a link to the tracker; an empty link left behind is noise.</summary>
    private static void RemoveWithEmptyLink(IElement image)
    {
        var parent = image.ParentElement;
        image.Remove();
        if (parent is { LocalName: "a" } && string.IsNullOrWhiteSpace(parent.TextContent) && parent.QuerySelector("img") is null)
        {
            parent.Remove();
        }
    }

    private static void DecorateLinks(IElement body)
    {
        foreach (var link in body.QuerySelectorAll("a[href], area[href]"))
        {
            link.SetAttribute("rel", LinkRel);
            if (link.GetAttribute("target") is { } target && !target.Equals("_blank", StringComparison.OrdinalIgnoreCase))
            {
                link.RemoveAttribute("target"); // named frames and _top/_parent could navigate the reader itself
            }
        }
    }
}
