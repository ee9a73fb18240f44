using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp;
using AngleSharp.Html.Parser;
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
    // output stays: it only displays a result and cannot submit, load or run anything (its form attribute is removed below).
    private static readonly string[] RemovedTags =
        ["form", "input", "button", "select", "textarea", "option", "optgroup", "datalist", "keygen", "menuitem"];

    // Elements feedparser keeps that cannot run or load anything by themselves. noscript is emptied by the cleaner;
    // canvas shows only its fallback content without script; dialog stays hidden unless "open".
    private static readonly string[] AddedTags =
        ["audio", "video", "source", "track", "picture", "figure", "figcaption", "abbr", "cite", "small", "big",
         "canvas", "command", "datagrid", "dialog", "event-source", "m", "multicol", "nextid", "noscript", "sound", "spacer"];

    // Presentational or media attributes feedparser also keeps; none can carry script.
    private static readonly string[] AddedAttributes =
        ["srcset", "sizes", "poster", "controls", "loop", "muted", "playsinline", "preload", "kind", "srclang", "face", "bordercolor", "hidden",
         // Legacy (mostly IE) presentational attributes feedparser keeps; browsers ignore them today.
         "balance", "bgproperties", "bordercolordark", "bordercolorlight", "bottompadding", "ch", "choff", "default", "delay",
         "end", "galleryimg", "gutter", "hidefocus", "inputmode", "leftspacing", "loopcount", "loopend", "loopstart",
         "point-size", "pqg", "repeat-max", "repeat-min", "replace", "rightspacing", "suppress", "template", "toppadding",
         "unselectable", "urn", "variable", "volume", "vrml", "datafld", "datapagesize",
         // class and id let footnotes and the author's own markup work (id is needed for in-article anchors).
         "class", "id",
         // Interaction hints that only affect the reader's own keyboard/mouse use of the text: no request, no script.
         // contenteditable edits only the local copy in the reader's page; draggable and autofocus move nothing off-page.
         "accesskey", "tabindex", "contenteditable", "draggable", "autofocus"];

    // URL-valued attributes: kept, but scheme-checked and made absolute like href and src.
    private static readonly string[] AddedUrlAttributes = ["background", "cite", "data", "datasrc", "dynsrc", "lowsrc", "longdesc", "icon", "poster"];

    // ping sends a request to a tracker on every click; action/formaction/form submit data; dropzone is obsolete.
    // style is filtered separately by StyleFilter (the cleaner takes it off before sanitizing).
    private static readonly string[] RemovedAttributes = ["action", "formaction", "form", "ping", "dropzone", "style"];

    private static readonly string[] ImageDataTypes = ["image/png", "image/gif", "image/jpeg", "image/webp"];

    public static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true, AllowDataAttributes = false };
        foreach (var tag in RemovedTags) sanitizer.AllowedTags.Remove(tag);
        foreach (var tag in AddedTags) sanitizer.AllowedTags.Add(tag);
        foreach (var attribute in RemovedAttributes) sanitizer.AllowedAttributes.Remove(attribute);
        foreach (var attribute in AddedAttributes) sanitizer.AllowedAttributes.Add(attribute);
        foreach (var attribute in AddedUrlAttributes)
        {
            sanitizer.AllowedAttributes.Add(attribute);
            sanitizer.UriAttributes.Add(attribute);
        }
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("tel");
        sanitizer.FilterUrl += AllowInlineImages;
        sanitizer.HtmlParserFactory = Lean(sanitizer.HtmlParserFactory());
        return sanitizer;
    }

    /// <summary>
    /// The library's parser options, without two costs that buy nothing here. The tokenizer does not count lines and
    /// columns for every character read: nothing reads where an element was. The browsing context has no CSS, so a
    /// style attribute is not parsed into a declaration each time it is set: the cleaner takes style attributes off
    /// before sanitizing and filters them as text (<see cref="StyleFilter"/>), and style elements are not allowed, so
    /// the sanitizer never asks for a declaration.
    /// </summary>
    private static Func<HtmlParser> Lean(HtmlParser shipped)
    {
        var options = shipped.Options;
        options.DisableElementPositionTracking = true;
        // qualified: where src/ is compiled as one (RawSqlStaticTests), Configuration alone names FeedWorker.Configuration
        var parser = new HtmlParser(options, BrowsingContext.New(AngleSharp.Configuration.Default));
        return () => parser;
    }

    // Stateless handler: the sanitizer stays safe for concurrent use (shared configuration, no per-call state).
    private static void AllowInlineImages(object? sender, FilterUrlEventArgs e)
    {
        if (e.SanitizedUrl is null && string.IsNullOrWhiteSpace(e.OriginalUrl))
        {
            e.SanitizedUrl = ""; // an empty URL points nowhere new; dropping it would change the author's markup for nothing
        }
        else if (e.SanitizedUrl is not null && e.SanitizedUrl.Contains('%'))
        {
            e.SanitizedUrl = ToIri(e.SanitizedUrl);
        }
        else if (e.SanitizedUrl is null && e.Tag.LocalName is "img" or "source" && IsInlineImage(e.OriginalUrl))
        {
            e.SanitizedUrl = e.OriginalUrl.Trim();
        }
    }

    /// <summary>
    /// Writes percent-encoded UTF-8 letters back as the characters the author wrote (http://any.test/À, not %C3%80),
    /// as feedparser does. Escapes that decode to controls, format characters (bidi overrides, zero-width) or
    /// separators, and anything not valid UTF-8, stay encoded so nothing invisible or misleading appears in a URL.
    /// </summary>
    internal static string ToIri(string url) => EncodedNonAscii().Replace(url, match =>
    {
        var bytes = new byte[match.Length / 3];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = Convert.ToByte(match.Value.Substring(i * 3 + 1, 2), 16);
        }
        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return match.Value;
        }
        foreach (var rune in decoded.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate)
            {
                return match.Value;
            }
        }
        return decoded;
    });

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [GeneratedRegex("(?:%[89A-Fa-f][0-9A-Fa-f])+")]
    private static partial Regex EncodedNonAscii();

    /// <summary>data:image/png|gif|jpeg|webp only: data:image/svg+xml can carry script.</summary>
    internal static bool IsInlineImage(string url)
    {
        var match = DataUrl().Match(url);
        return match.Success && ImageDataTypes.Contains(match.Groups["type"].Value.ToLowerInvariant());
    }

    [GeneratedRegex(@"^\s*data:(?<type>[a-zA-Z]+/[a-zA-Z0-9.+-]+)\s*[;,]")]
    private static partial Regex DataUrl();
}
