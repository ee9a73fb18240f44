using System.Text;
using System.Text.RegularExpressions;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// Repairs applied to feed HTML right before an HTML5 parser reads it, by every reader (the cleaner, and the parser
/// for titles and summaries), so that plain text and cleaned HTML agree. Feeds write HTML for SGML-era parsers: what
/// an HTML5 parser would swallow as a bogus comment or doctype is text there, and a comment left unterminated ends
/// at the next "&gt;". Whatever follows is then parsed, and cleaned, as ordinary markup. Nesting is bounded last
/// (<see cref="HtmlNesting"/>).
/// </summary>
internal static partial class ParserInput
{
    public static string Prepare(string html) => Prepare(html, out _);

    /// <remarks>Idempotent: what it returns passes through unchanged, so content prepared early can be prepared again.</remarks>
    public static string Prepare(string html, out bool flattened) =>
        HtmlNesting.Flatten(EscapeStrayMarkupDeclarations(EndUnterminatedComments(html)), out flattened);

    /// <summary>
    /// "&lt;!" that opens no comment or doctype, a doctype never closed, and "&lt;![CDATA[" (no CDATA in HTML) are
    /// text in feeds ("&lt;!' ...", a title "&lt;!DOCTYPE ~").
    /// </summary>
    private static string EscapeStrayMarkupDeclarations(string html) =>
        html.Contains("<!", StringComparison.Ordinal) ? StrayMarkupDeclaration().Replace(html, "&lt;!") : html;

    /// <summary>
    /// An HTML5 comment runs to "--&gt;" or to the end of the input; with no end it would hide the rest of the text
    /// ("sa&lt;!-- -- x &gt;fe" reads "safe" in feedparser, "sa" in a browser): such a comment ends at the next
    /// "&gt;" instead. Linear: the searches for comment ends only move forward, and once one comment is unterminated,
    /// so is every later one.
    /// </summary>
    private static string EndUnterminatedComments(string html)
    {
        var start = html.IndexOf("<!--", StringComparison.Ordinal);
        int plainEnd = -2, bangEnd = -2; // next "-->" and "--!>"; -2 not searched yet, -1 none left
        while (start >= 0)
        {
            var body = start + 4;
            int end;
            if (string.CompareOrdinal(html, body, ">", 0, 1) == 0 || string.CompareOrdinal(html, body, "->", 0, 2) == 0)
            {
                end = html.IndexOf('>', body) + 1; // "<!-->" and "<!--->" are whole comments
            }
            else
            {
                plainEnd = NextFrom(html, "-->", body, plainEnd);
                bangEnd = NextFrom(html, "--!>", body, bangEnd);
                end = plainEnd >= 0 && (bangEnd < 0 || plainEnd < bangEnd) ? plainEnd + 3 : bangEnd >= 0 ? bangEnd + 4 : -1;
            }
            if (end < 0)
            {
                return RemoveUnterminatedComments(html, start);
            }
            start = html.IndexOf("<!--", end, StringComparison.Ordinal);
        }
        return html;
    }

    private static int NextFrom(string html, string value, int from, int previous) =>
        previous == -1 || previous >= from ? previous : html.IndexOf(value, from, StringComparison.Ordinal);

    /// <summary>Drops each comment from <paramref name="start"/> on up to its first "&gt;" (or keeps the rest when there is none).</summary>
    private static string RemoveUnterminatedComments(string html, int start)
    {
        var builder = new StringBuilder(html.Length);
        var copied = 0;
        while (start >= 0)
        {
            var close = html.IndexOf('>', start + 4);
            if (close < 0)
            {
                break;
            }
            builder.Append(html, copied, start - copied);
            copied = close + 1;
            start = html.IndexOf("<!--", copied, StringComparison.Ordinal);
        }
        return builder.Append(html, copied, html.Length - copied).ToString();
    }

    [GeneratedRegex(@"<!(?:(?![-\[]|doctype)|(?=doctype[^<>]*(?:<|$))|(?=\[CDATA\[))", RegexOptions.IgnoreCase)]
    private static partial Regex StrayMarkupDeclaration();
}
