using System.Text.RegularExpressions;
using Ganss.Xss;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// Builds the HtmlSanitizer allowlist for article bodies. The library defaults target user-written
/// comments; feed content needs media and mail links but no forms, and no CSS that can move or
/// overlay text.
/// </summary>
internal static partial class FeedSanitizer
{
    // Forms invite phishing inside a reader: controls go, their surrounding text stays (KeepChildNodes).
    // Attributes that submit, ping or grab focus/keys go too.
    private static readonly string[] RemovedTags =
        ["form", "input", "button", "select", "textarea", "option", "optgroup", "datalist", "keygen", "output", "menuitem"];

    private static readonly string[] AddedTags =
        ["audio", "video", "source", "track", "picture", "figure", "figcaption", "abbr", "cite", "small", "big"];

    // Presentational or media attributes feedparser also keeps; none can carry script.
    private static readonly string[] AddedAttributes =
        ["srcset", "sizes", "poster", "controls", "loop", "muted", "playsinline", "preload", "kind", "srclang", "face", "bordercolor", "hidden",
         // Legacy (mostly IE) presentational attributes feedparser keeps; browsers ignore them today.
         "balance", "bgproperties", "bordercolordark", "bordercolorlight", "bottompadding", "ch", "choff", "default", "delay",
         "end", "galleryimg", "gutter", "hidefocus", "inputmode", "leftspacing", "loopcount", "loopend", "loopstart",
         "point-size", "pqg", "repeat-max", "repeat-min", "replace", "rightspacing", "suppress", "template", "toppadding",
         "unselectable", "urn", "variable", "volume", "vrml"];

    private static readonly string[] RemovedAttributes =
        ["action", "formaction", "ping", "contenteditable", "draggable", "dropzone", "tabindex", "accesskey"];

    // Small set in the spirit of feedparser's acceptable CSS: colours, fonts, alignment. No position,
    // offsets, margins or paddings (used to overlay or push content), no content/cursor, no url() carriers.
    private static readonly string[] AllowedCss =
        ["color", "background-color", "display", "font", "font-family", "font-size", "font-style", "font-variant", "font-weight",
         "text-align", "text-decoration", "text-indent", "text-transform", "vertical-align", "white-space", "letter-spacing",
         "line-height", "word-spacing", "direction", "unicode-bidi", "float", "clear", "width", "height", "max-width", "max-height",
         "border-collapse", "border-spacing", "border-color", "border-style", "border-width", "list-style-type", "caption-side", "empty-cells"];

    private static readonly string[] ImageDataTypes = ["image/png", "image/gif", "image/jpeg", "image/webp"];

    public static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true, AllowDataAttributes = false };
        foreach (var tag in RemovedTags) sanitizer.AllowedTags.Remove(tag);
        foreach (var tag in AddedTags) sanitizer.AllowedTags.Add(tag);
        foreach (var attribute in RemovedAttributes) sanitizer.AllowedAttributes.Remove(attribute);
        foreach (var attribute in AddedAttributes) sanitizer.AllowedAttributes.Add(attribute);
        sanitizer.AllowedCssProperties.Clear();
        foreach (var property in AllowedCss) sanitizer.AllowedCssProperties.Add(property);
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("tel");
        sanitizer.UriAttributes.Add("poster");
        sanitizer.UriAttributes.Add("cite");
        sanitizer.FilterUrl += AllowInlineImages;
        return sanitizer;
    }

    // Stateless handler: the sanitizer stays safe for concurrent use (shared configuration, no per-call state).
    private static void AllowInlineImages(object? sender, FilterUrlEventArgs e)
    {
        if (e.SanitizedUrl is null && e.Tag.LocalName is "img" or "source" && IsInlineImage(e.OriginalUrl))
        {
            e.SanitizedUrl = e.OriginalUrl.Trim();
        }
    }

    /// <summary>data:image/png|gif|jpeg|webp only: data:image/svg+xml can carry script.</summary>
    internal static bool IsInlineImage(string url)
    {
        var match = DataUrl().Match(url);
        return match.Success && ImageDataTypes.Contains(match.Groups["type"].Value.ToLowerInvariant());
    }

    [GeneratedRegex(@"^\s*data:(?<type>[a-zA-Z]+/[a-zA-Z0-9.+-]+)\s*[;,]")]
    private static partial Regex DataUrl();
}
