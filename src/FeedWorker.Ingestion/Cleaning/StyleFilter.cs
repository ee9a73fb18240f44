using System.Text;
using System.Text.RegularExpressions;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// Filters an inline style attribute declaration by declaration and keeps the allowed ones verbatim.
/// Hand-written on purpose: HtmlSanitizer can only filter style through AngleSharp.Css, which re-serializes
/// every value (<c>black</c> becomes <c>rgba(0, 0, 0, 1)</c>, shorthands are expanded), so the stored article
/// would no longer say what the author wrote. The rules follow feedparser's: a strict character set for the
/// whole attribute (no backslash escapes, comments, quotes around anything but words, parentheses around
/// anything but numbers — so no url(), expression() or escaped names), an allowlist of properties, and
/// shorthand box properties only when every value token is a plain keyword, colour or short length.
/// </summary>
internal static partial class StyleFilter
{
    private static readonly HashSet<string> AllowedProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "azimuth", "background-color", "border-bottom-color", "border-collapse", "border-color", "border-left-color",
        "border-right-color", "border-top-color", "clear", "color", "cursor", "direction", "display", "elevation", "float",
        "font", "font-family", "font-size", "font-style", "font-variant", "font-weight", "height", "letter-spacing",
        "line-height", "overflow", "pause", "pause-after", "pause-before", "pitch", "pitch-range", "richness", "speak",
        "speak-header", "speak-numeral", "speak-punctuation", "speech-rate", "stress", "text-align", "text-decoration",
        "text-indent", "unicode-bidi", "vertical-align", "voice-family", "volume", "white-space", "width",
        // Ours on top: typographic and list properties that cannot move content out of its box.
        "text-transform", "word-spacing", "max-width", "max-height", "list-style-type", "caption-side", "empty-cells",
    };

    /// <summary>Box shorthands (and their longhands) kept only when every token is a keyword, colour or small length.</summary>
    private static readonly string[] BoxPrefixes = ["background", "border", "margin", "padding"];

    private static readonly HashSet<string> BoxKeywords = new(StringComparer.Ordinal)
    {
        "auto", "aqua", "black", "block", "blue", "bold", "both", "bottom", "brown", "center", "collapse", "dashed", "dotted",
        "fuchsia", "gray", "green", "!important", "italic", "left", "lime", "maroon", "medium", "none", "navy", "normal",
        "nowrap", "olive", "pointer", "purple", "red", "right", "solid", "silver", "teal", "top", "transparent", "underline",
        "white", "yellow",
    };

    /// <summary>The allowed declarations, each as "name: value;", joined by spaces; null when nothing survives.</summary>
    public static string? Filter(string style)
    {
        // Linear-time matching (NonBacktracking): no input can make these slow, so no timeout is needed; a timeout
        // made the result depend on machine load (a busy machine dropped valid styles).
        var text = UrlToken().Replace(style, " ");
        if (!SafeCharacters().IsMatch(text) || !DeclarationList().IsMatch(text))
        {
            return null;
        }
        var kept = new StringBuilder();
        foreach (Match declaration in Declaration().Matches(text))
        {
            var name = declaration.Groups["name"].Value;
            var value = declaration.Groups["value"].Value;
            if (value.Length == 0 || !IsAllowed(name, value))
            {
                continue;
            }
            if (kept.Length > 0) kept.Append(' ');
            kept.Append(name).Append(": ").Append(value).Append(';');
        }
        return kept.Length == 0 ? null : kept.ToString();
    }

    private static bool IsAllowed(string name, string value)
    {
        if (AllowedProperties.Contains(name))
        {
            return true;
        }
        var prefix = name.Split('-')[0];
        if (!BoxPrefixes.Contains(prefix, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        foreach (var token in value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!BoxKeywords.Contains(token) && !BoxValue().IsMatch(token))
            {
                return false;
            }
        }
        return true;
    }

    [GeneratedRegex(@"url\s*\(\s*[^\s)]+?\s*\)\s*", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex UrlToken();

    [GeneratedRegex(@"^(?:[:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|""[\s\w]+""|\([\d,\s]+\))*$", RegexOptions.NonBacktracking)]
    private static partial Regex SafeCharacters();

    [GeneratedRegex(@"^\s*(?:[-\w]+\s*:[^:;]*(?:;\s*|$))*$", RegexOptions.NonBacktracking)]
    private static partial Regex DeclarationList();

    [GeneratedRegex(@"(?<name>[-\w]+)\s*:\s*(?<value>[^:;]*)", RegexOptions.NonBacktracking)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^(?:#[0-9a-f]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d{0,2}\.?\d{0,2}(?:cm|em|ex|in|mm|pc|pt|px|%|,|\))?)$", RegexOptions.NonBacktracking)]
    private static partial Regex BoxValue();
}
