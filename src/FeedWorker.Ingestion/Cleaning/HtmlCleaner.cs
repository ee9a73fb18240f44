using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Ganss.Xss;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// Cleans article HTML in one pass over one DOM: parse once, drop unsafe and boilerplate content, set inline
/// SVG/MathML and filtered styles aside, sanitize in place (allowlist, absolute URLs), put them back, then
/// serialize and extract text.
/// Safe for concurrent use: the sanitizer is configured once and only read afterwards (HtmlSanitizer
/// documents Sanitize/SanitizeDom as thread-safe under that condition); every call parses its own document.
/// </summary>
public sealed partial class HtmlCleaner
{
    /// <summary>
    /// Elements dropped with their content: with KeepChildNodes the sanitizer would keep their text (a script's code).
    /// object and applet are not listed: the sanitizer unwraps them, keeping their HTML fallback content.
    /// </summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ContentlessElements = NameSet.Of(
    [
        "script", "style", "template", "frame", "frameset", "noframes", "embed", "param", "svg", "math",
        "head", "title", "meta", "link", "base", "button", "select", "textarea", "input", "datalist", "xmp", "plaintext", "noembed",
    ]);

    private readonly HtmlSanitizer _sanitizer = FeedSanitizer.Create();

    /// <summary>
    /// The elements fragments are parsed in the context of, one set per thread: the parser only reads a context (its
    /// name and its document's mode), and building an empty document for each article cost as much as a tenth of the
    /// parse. Each parse still gets a document of its own.
    /// </summary>
    private readonly ThreadLocal<ParseContexts> _contexts;

    private sealed record ParseContexts(IElement Template, IElement Body);

    private readonly bool _bodyWhenSame;

    /// <summary>
    /// The buffer articles are serialized into and their text written into, one per thread: new ones for each article cost
    /// as much memory as the article's HTML again, and its text again.
    /// </summary>
    private readonly ThreadLocal<StringWriter?> _output = new();

    public HtmlCleaner() : this(bodyWhenSame: true)
    {
    }

    /// <param name="bodyWhenSame">
    /// Parse an article in a body when that reads it as the template context does (<see cref="ParsesAsInBody"/>); off
    /// only in tests, which compare the two readings.
    /// </param>
    internal HtmlCleaner(bool bodyWhenSame)
    {
        _bodyWhenSame = bodyWhenSame;
        _contexts = new(() =>
        {
            var document = _sanitizer.HtmlParserFactory().ParseDocument(EmptyDocument);
            return new ParseContexts(document.CreateElement("template"), document.Body!);
        });
    }

    /// <summary>Makes untrusted article HTML safe to show and derives its plain text.</summary>
    /// <param name="html">HTML as published.</param>
    /// <param name="baseUrl">
    /// Base for relative href, src and srcset values; when null, relative values are kept as written and
    /// counted in <see cref="CleanedHtml.UnresolvedLinks"/>.
    /// </param>
    public CleanedHtml Clean(string html, Uri? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(html);
        using var tree = Parse(html);
        var body = tree.Body;
        var setAside = new SetAside([], new(ReferenceEqualityComparer.Instance));
        Prune(body, baseUrl, setAside);
        _sanitizer.SanitizeDom((IHtmlDocument)body.Owner!, (IHtmlElement)body, baseUrl?.AbsoluteUri ?? "");
        RestoreStyles(body, setAside.Styles);
        ForeignContentFilter.Restore(body, setAside.Drawings);
        var clean = Serialize(body);
        var unresolved = baseUrl is null ? RelativeLinks(body) : [];
        return new CleanedHtml(clean, Text(body)) { UnresolvedLinks = unresolved.Count, FirstUnresolvedLink = unresolved.FirstOrDefault() };
    }

    /// <summary>The children's HTML, trimmed; written into this thread's output buffer.</summary>
    private string Serialize(IElement body)
    {
        var writer = Output();
        var html = writer.GetStringBuilder();
        var children = body.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            children[i].ToHtml(writer, _sanitizer.OutputFormatter);
        }
        var start = 0;
        var end = html.Length;
        while (start < end && char.IsWhiteSpace(html[start]))
        {
            start++;
        }
        while (end > start && char.IsWhiteSpace(html[end - 1]))
        {
            end--;
        }
        var serialized = html.ToString(start, end - start);
        Release(html);
        return serialized;
    }

    private string Text(IElement body)
    {
        var buffer = Output().GetStringBuilder();
        var text = PlainText.Of(body, buffer);
        Release(buffer);
        return text;
    }

    /// <summary>
    /// This thread's output buffer, empty. It stays below the large-object heap: longer output grows it in chunks, and
    /// <see cref="Release"/> drops a grown buffer rather than keeping it, so a thread holds at most
    /// <see cref="MaxOutputBuffer"/> characters between articles.
    /// </summary>
    private StringWriter Output()
    {
        var writer = _output.Value ??= new StringWriter(new StringBuilder(MaxOutputBuffer), CultureInfo.InvariantCulture);
        writer.GetStringBuilder().Clear();
        return writer;
    }

    private void Release(StringBuilder buffer)
    {
        if (buffer.Capacity > MaxOutputBuffer)
        {
            _output.Value = null;
        }
    }

    /// <summary>
    /// Plain text of an HTML fragment (a summary or title written as HTML), with the same rules as
    /// <see cref="CleanedHtml.Text"/>: no text from scripts, embedded objects, share blocks or form controls.
    /// </summary>
    public string ToText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        // No sanitizing needed for text: what it would unwrap keeps its text, what must go is removed here.
        using var tree = Parse(html);
        var body = tree.Body;
        Prune(body, null, setAside: null);
        return Text(body);
    }

    /// <summary>
    /// Parses the article as the HTML of a template would be read, so that table parts outside a table (a lone
    /// &lt;td&gt;, &lt;tr&gt; or &lt;caption&gt;, common in excerpts) survive; as a document's body when that reads it
    /// the same way, which is most articles. Each call gets its own document.
    /// </summary>
    private ParsedHtml Parse(string html)
    {
        var parser = _sanitizer.HtmlParserFactory();
        var contexts = _contexts.Value!;
        var prepared = ParserInput.Prepare(CollapseBrEndTags(html));
        // A whole document leaves the article where it is wanted, in its body, read straight from the text. The fragment
        // parse copies its input into a StringBuilder, reads it from there, and then moves every top-level node into a
        // new context element, revisiting every node below: cleaning the farm's articles took a fifth more CPU that way.
        var tree = _bodyWhenSame && ParsesAsInBody(prepared)
            ? ParsedHtml.InBody(parser, prepared)
            : new ParsedHtml(ParseInTemplate(parser, prepared, contexts.Template), null);
        try
        {
            List<IElement>? frames = null;
            List<IElement>? noscripts = null;
            ElementWalk.Visit(tree.Body, element =>
            {
                if (element.LocalName == "iframe")
                {
                    (frames ??= []).Add(element);
                }
                else if (element.LocalName == "noscript")
                {
                    (noscripts ??= []).Add(element);
                }
                return true;
            });
            if (frames is not null)
            {
                ReparseFrameFallbacks(parser, tree.Body, contexts.Body, frames);
                noscripts = [.. tree.Body.QuerySelectorAll("noscript")]; // fallback content may hold more
            }
            foreach (var noscript in noscripts ?? [])
            {
                // The reader runs scripts, so a browser reads noscript content as raw text: keeping markup in it
                // would let "</noscript>" inside an attribute break out (mutation XSS). Keep the element, drop the content.
                noscript.InnerHtml = "";
            }
            return tree;
        }
        catch
        {
            tree.Dispose();
            throw;
        }
    }

    private static IElement ParseInTemplate(AngleSharp.Html.Parser.IHtmlParser parser, string html, IElement template)
    {
        // The fragment stays where the parser built it, under the root of its own document: moving it into a body
        // would adopt every node into the other document, a tenth of the parse.
        var fragment = parser.ParseFragment(html, template);
        return fragment.Length > 0 ? fragment[0].ParentElement! : parser.ParseDocument(EmptyDocument).Body!;
    }

    /// <summary>
    /// Whether a body reads the article as the template context does. The template context reads a table part as a
    /// table part wherever it stands (a body drops it outside a table), and never lets a frameset replace the body.
    /// Until its first start tag other than a head element, it also ignores end tags, where a body makes an empty
    /// paragraph of "&lt;/p&gt;"; after that tag it reads everything as a body does. So the answer is yes when the
    /// article has neither and starts, after text and comments, with such a tag. Anything less plain is left to the
    /// template context: that only costs time.
    /// </summary>
    internal static bool ParsesAsInBody(string html)
    {
        if (TablePartOrFrameset().IsMatch(html))
        {
            return false;
        }
        for (var i = html.IndexOf('<'); i >= 0 && i + 1 < html.Length; i = html.IndexOf('<', i + 1))
        {
            var next = html[i + 1];
            if (char.IsAsciiLetter(next))
            {
                var name = html.AsSpan(i + 1);
                var end = name.IndexOfAny(TagNameEnd);
                return !HeadElements.Contains(end < 0 ? name : name[..end]);
            }
            if (next is '/' or '!' or '?')
            {
                if (!html.AsSpan(i).StartsWith("<!--", StringComparison.Ordinal))
                {
                    return false; // an end tag, a doctype or a bogus comment
                }
                var comment = html.AsSpan(i + 4);
                if (comment.StartsWith(">") || comment.StartsWith("->"))
                {
                    continue; // "<!-->" and "<!--->" are whole comments
                }
                var close = comment.IndexOf("-->", StringComparison.Ordinal);
                if (close < 0 || comment[..close].Contains("--!>", StringComparison.Ordinal))
                {
                    return false;
                }
                i += 4 + close;
            }
        }
        return true;
    }

    /// <summary>ASCII white space, "/" and "&gt;" end a tag name.</summary>
    private static readonly SearchValues<char> TagNameEnd = SearchValues.Create(" \t\n\f\r/>");

    /// <summary>Start tags a template context reads as a head does, without leaving the mode that ignores end tags.</summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> HeadElements =
        NameSet.Of(["base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style", "template", "title"]);

    /// <summary>
    /// A start tag that parses differently in a template context than in a body: a table part or a frameset. Tags that
    /// merely start the same way ("&lt;code&gt;", "&lt;thumb&gt;") only cost the slower path.
    /// </summary>
    [GeneratedRegex(@"<(?:t[rdh]|tbody|thead|tfoot|caption|col|colgroup|frameset)[\s/>]", RegexOptions.IgnoreCase)]
    private static partial Regex TablePartOrFrameset();

    /// <summary>Characters: 80 KB, under the 85,000-byte large-object threshold.</summary>
    private const int MaxOutputBuffer = 40_000;

    private const string EmptyDocument = "<!DOCTYPE html><html><head></head><body></body></html>";

    /// <summary>Nesting depth of iframes whose fallback text is re-read as HTML; deeper ones are dropped.</summary>
    private const int MaxFrameDepth = 3;

    /// <summary>
    /// An HTML5 parser reads an iframe's content as raw text, yet feeds put fallback markup there (feedparser's
    /// parser keeps it as HTML). Re-read that text as HTML in place of the frame; the sanitizer then cleans it
    /// like any other content.
    /// </summary>
    /// <param name="bodyContext">A body element, the context fallback content is parsed in.</param>
    /// <param name="frames">The body's iframes, in document order.</param>
    private static void ReparseFrameFallbacks(AngleSharp.Html.Parser.IHtmlParser parser, IElement body, IElement bodyContext, List<IElement> frames)
    {
        // frames at the depth limit are removed, not re-read, so the search after that depth finds none
        for (var depth = 0; frames.Count > 0; depth++)
        {
            foreach (var frame in frames)
            {
                if (depth == MaxFrameDepth || frame.Parent is null)
                {
                    frame.Remove();
                    continue;
                }
                // The fallback's document is not disposed (see ParsedHtml): its nodes move into the article and may
                // still point into that document's buffer.
                var fallback = parser.ParseFragment(ParserInput.Prepare(frame.TextContent), bodyContext).ToArray();
                frame.Replace(fallback);
            }
            frames = [.. body.QuerySelectorAll("iframe")];
        }
    }

    /// <summary>
    /// "&lt;br&gt;&lt;/br&gt;" is one line break in feeds (an HTML5 body parser would make it two); a lone
    /// "&lt;/br&gt;" is one too (the template-context parser would otherwise ignore it before the first tag).
    /// </summary>
    private static string CollapseBrEndTags(string html) =>
        html.Contains("</br", StringComparison.OrdinalIgnoreCase)
            ? BrEndTag().Replace(html, match => match.Groups["start"].Success ? match.Groups["start"].Value : "<br>")
            : html;

    [GeneratedRegex(@"(?:(?<start><br\b[^<>]*>)\s*)?</br\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex BrEndTag();

    private static List<string> RelativeLinks(IElement body) =>
        body.QuerySelectorAll("[href], [src]")
            .Select(e => (e.GetAttribute("href") ?? e.GetAttribute("src"))!.Trim())
            .Where(url => url.Length > 0 && url[0] != '#' && !UrlScheme().IsMatch(url))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex UrlScheme();

    /// <summary>What cleaning sets aside before sanitizing, to put back after: drawings, and filtered styles.</summary>
    private sealed record SetAside(List<(IElement Placeholder, IElement Root)> Drawings, Dictionary<IElement, string> Styles);

    /// <summary>
    /// One walk over the article before sanitizing. The elements dropped with their content go first, so that no check
    /// reads their text; when cleaning (<paramref name="setAside"/> given), SVG and MathML drawings are set aside with
    /// them. Every other element, in document order, is checked for trackers and boilerplate and, when cleaning, has its
    /// style set aside and a frame target dropped. Dropping targets before sanitizing gives what dropping them after
    /// would: the sanitizer adds no element and sets no target.
    /// </summary>
    private static void Prune(IElement body, Uri? baseUrl, SetAside? setAside)
    {
        foreach (var element in RemoveContentless(body, baseUrl, setAside))
        {
            if (element.Parent is null)
            {
                continue; // inside a block removed earlier in this loop
            }
            // read-only checks of this element until it is removed: its text is built once for all of them
            var text = new ElementText(element);
            if (element.LocalName == "img")
            {
                LazyImages.Promote(element);
                if (TrackerFilter.IsPixel(element) || TrackerFilter.IsTrackerUrl(AttributeValue.Of(element, "src"), baseUrl))
                {
                    RemoveWithEmptyLink(element);
                    continue;
                }
            }
            else if (BoilerplateFilter.RelatedListAfterLabel(element, text) is { } related)
            {
                related.Remove(); // first, so that a label carrying a furniture class does not leave its links behind
                element.Remove();
                continue;
            }
            else if (BoilerplateFilter.IsShareBlock(element) || BoilerplateFilter.IsAppearedFirstOn(element, text) || BoilerplateFilter.IsPageFurniture(element, text)
                || element.LocalName == "a" && TrackerFilter.IsTrackerUrl(AttributeValue.Of(element, "href"), baseUrl))
            {
                element.Remove();
                continue;
            }
            if (setAside is not null)
            {
                TakeStyle(element, setAside.Styles);
                RemoveFrameTarget(element);
            }
        }
    }

    /// <summary>
    /// Removes the elements dropped with their content (<see cref="ContentlessElements"/>) and returns the others, in
    /// document order. When cleaning, a drawing goes to <see cref="ForeignContentFilter"/> instead, and its placeholder
    /// is returned in its place.
    /// </summary>
    private static List<IElement> RemoveContentless(IElement body, Uri? baseUrl, SetAside? setAside)
    {
        var kept = new List<IElement>();
        var contentless = new List<IElement>();
        ElementWalk.Visit(body, element =>
        {
            if (setAside is not null && element.LocalName is "svg" or "math")
            {
                kept.Add(ForeignContentFilter.Take(element, baseUrl, setAside.Drawings));
                return false;
            }
            if (ContentlessElements.Contains(element.LocalName))
            {
                contentless.Add(element);
                return false;
            }
            kept.Add(element);
            return true;
        });
        foreach (var element in contentless)
        {
            element.Remove();
        }
        return kept;
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

    /// <summary>
    /// Style is filtered by <see cref="StyleFilter"/> rather than by the sanitizer (which would re-serialize it):
    /// each element's filtered style is taken out before sanitizing and put back on the elements that survive.
    /// </summary>
    private static void TakeStyle(IElement element, Dictionary<IElement, string> styles)
    {
        if (AttributeValue.Of(element, "style") is not { } style)
        {
            return;
        }
        if (StyleFilter.Filter(style) is { } filtered)
        {
            styles[element] = filtered;
        }
        element.RemoveAttribute("style");
    }

    private static void RestoreStyles(IElement body, Dictionary<IElement, string> styles)
    {
        if (styles.Count == 0)
        {
            return;
        }
        foreach (var element in body.QuerySelectorAll("*"))
        {
            if (styles.TryGetValue(element, out var style))
            {
                element.SetAttribute("style", style);
            }
        }
    }

    // rel (noopener, nofollow) is left to the page that renders the article: the stored HTML keeps the author's links as written.
    private static void RemoveFrameTarget(IElement element)
    {
        if (element.LocalName is "a" or "area" && AttributeValue.Of(element, "target") is { } target
            && !target.Equals("_blank", StringComparison.OrdinalIgnoreCase))
        {
            element.RemoveAttribute("target"); // named frames and _top/_parent could navigate the reader itself
        }
    }
}
