using System.Text;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// Bounds how deeply HTML nests before an HTML5 parser reads it. AngleSharp's tree builder scans the stack of open
/// elements for every start tag, so an article nested 100,000 levels deep costs tens of seconds of CPU (quadratic);
/// browsers cap the tree instead (Chromium at 512 levels). One linear pass estimates the depth each start tag opens
/// at and, beyond <see cref="MaxDepth"/>, drops the tags (and their end tags) while keeping all text.
/// </summary>
/// <remarks>
/// Written by hand: no library tokenizes HTML without building the tree, which is the cost to avoid.
/// The estimate models the tree builder's rules that matter for depth: void and raw-text elements, comments,
/// self-closing tags in SVG/MathML only, end tags that close only what is in scope (an end tag blocked by a
/// table, a cell or another "special" element closes nothing), implied closes (p, li, dd/dt, cells, rows, a), and
/// formatting elements closed implicitly, which the parser re-opens later (counted until their own end tag).
/// Where it simplifies, it errs high (an over-estimate, so no input can nest deep unnoticed): a breakout tag
/// inside SVG does not close the SVG elements, a table cell does not clear the re-opened formatting elements, and
/// a formatting element re-opened many times counts each time. Only markup already pathological (hundreds of
/// unclosed formatting tags) can be flattened without nesting 512 levels; ordinary articles never approach it.
/// Implied elements (tbody before a bare tr) make the parser's depth at most a small multiple of the estimate.
/// </remarks>
internal static class HtmlNesting
{
    /// <summary>Chromium's limit: markup nested deeper renders flat in a browser anyway, so nothing visible is lost.</summary>
    public const int MaxDepth = 512;

    /// <summary>
    /// The markup with every tag opened beyond <paramref name="maxDepth"/> levels removed (with its end tag), text
    /// and shallower markup unchanged; the same string when nothing nests that deep.
    /// </summary>
    public static string Flatten(string html, out bool flattened, int maxDepth = MaxDepth)
    {
        ArgumentNullException.ThrowIfNull(html);
        // each level needs a start tag: fewer '<' than levels can never nest too deep (a vectorized count)
        if (html.AsSpan().Count('<') < maxDepth)
        {
            flattened = false;
            return html;
        }
        var drops = new DepthScanner(html, maxDepth).Scan();
        flattened = drops.Count > 0;
        if (!flattened)
        {
            return html;
        }
        var builder = new StringBuilder(html.Length);
        var position = 0;
        foreach (var (start, end) in drops)
        {
            builder.Append(html, position, start - position);
            position = end;
        }
        return builder.Append(html, position, html.Length - position).ToString();
    }

    private sealed class DepthScanner(string html, int maxDepth)
    {
        private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
        {
            "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen",
            "link", "meta", "param", "source", "track", "wbr", "html", "head", "body",
        };

        /// <summary>Their content is text up to the matching end tag.</summary>
        private static readonly HashSet<string> RawText = new(StringComparer.Ordinal)
        {
            "script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title",
        };

        private static readonly HashSet<string> Formatting = new(StringComparer.Ordinal)
        {
            "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
        };

        private static readonly HashSet<string> Special = new(StringComparer.Ordinal)
        {
            "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br", "button",
            "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption",
            "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr",
            "html", "iframe", "img", "input", "keygen", "li", "link", "listing", "main", "marquee", "menu", "meta", "nav", "noembed",
            "noframes", "noscript", "object", "ol", "p", "param", "plaintext", "pre", "script", "search", "section", "select",
            "source", "style", "summary", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr",
            "track", "ul", "wbr", "xmp",
        };

        private static readonly HashSet<string> ScopeMarkers = new(StringComparer.Ordinal)
        {
            "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
        };

        /// <summary>SVG/MathML elements whose content is HTML again: special, scope markers, and end of foreign content.</summary>
        private static readonly HashSet<string> IntegrationPoints = new(StringComparer.Ordinal)
        {
            "mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc", "title",
        };

        /// <summary>Start tags that close an open p (HTML's "close a p element").</summary>
        private static readonly HashSet<string> ClosesParagraph = new(StringComparer.Ordinal)
        {
            "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
            "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section",
            "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "plaintext", "table", "hr", "xmp",
            "li", "dd", "dt",
        };

        /// <summary>HTML start tags that end foreign (SVG/MathML) content.</summary>
        private static readonly HashSet<string> Breakout = new(StringComparer.Ordinal)
        {
            "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1", "h2", "h3",
            "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s",
            "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var", "font",
        };

        private const int BarrierSpecial = 0; // blocks "any other end tag"
        private const int BarrierScope = 1; // blocks "in scope"
        private const int BarrierButtonScope = 2;
        private const int BarrierListItemScope = 3;
        private const int BarrierListItem = 4; // special except address, div, p: blocks an li/dd/dt start tag's implied close
        private const int BarrierHtml = 5; // an HTML element: where an SVG/MathML end tag stops looking
        private const int BarrierMarker = 6; // clears re-opened formatting elements when it closes
        private const int BarrierTableScope = 7; // blocks the end tags of tables, their sections, rows and cells
        private const int BarrierKinds = 8;

        /// <param name="FormattingKey">For a formatting element, its name and attribute text: what the parser compares to cap its re-opening.</param>
        private readonly record struct Entry(string Name, bool Foreign, bool Dropped, int Barriers, string? FormattingKey);

        private readonly NamedStack<Entry> _open = new();
        private readonly Stack<int>[] _barriers = Enumerable.Range(0, BarrierKinds).Select(_ => new Stack<int>()).ToArray();
        // re-opened formatting elements: how many per key (name and attributes), and their keys per name, latest last
        private readonly Dictionary<string, int> _reopened = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Stack<string>> _reopenedKeys = new(StringComparer.Ordinal);
        private readonly List<(int Start, int End)> _drops = [];
        private int _reopenedTotal;
        private int _position;

        private int Depth => _open.Count + _reopenedTotal;

        private bool InForeignContent => _open.Count > 0 && _open[_open.Count - 1] is { Foreign: true } top && !IntegrationPoints.Contains(top.Name);

        public List<(int Start, int End)> Scan()
        {
            while (_position < html.Length)
            {
                var lt = html.IndexOf('<', _position);
                if (lt < 0 || lt + 1 >= html.Length)
                {
                    break;
                }
                _position = lt + 1;
                var next = html[lt + 1];
                if (char.IsAsciiLetter(next))
                {
                    if (!StartTag(lt))
                    {
                        break;
                    }
                }
                else if (next == '/' && lt + 2 < html.Length && char.IsAsciiLetter(html[lt + 2]))
                {
                    if (!EndTag(lt))
                    {
                        break;
                    }
                }
                else if (next == '!' && string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
                {
                    SkipComment(lt + 4);
                }
                else if (next == '!' && InForeignContent && string.CompareOrdinal(html, lt, "<![CDATA[", 0, 9) == 0)
                {
                    SkipPast("]]>", lt + 9);
                }
                else if (next is '!' or '?' or '/')
                {
                    SkipPast(">", lt + 2); // bogus comment (doctype included): no element
                }
            }
            return _drops;
        }

        /// <returns>False at the end of the input.</returns>
        private bool StartTag(int lt)
        {
            var name = ReadName();
            var attributesStart = _position;
            if (!SkipAttributes(out var selfClosing))
            {
                return false;
            }
            if (InForeignContent && !Breakout.Contains(name))
            {
                if (!selfClosing)
                {
                    Push(name, foreign: true, lt);
                }
                return true;
            }
            if (Void.Contains(name))
            {
                return true;
            }
            if (name is "svg" or "math")
            {
                if (!selfClosing)
                {
                    Push(name, foreign: true, lt);
                }
                return true;
            }
            if (RawText.Contains(name))
            {
                SkipRawText(name);
                return true;
            }
            if (name == "plaintext")
            {
                _position = html.Length;
                return false;
            }
            CloseImplied(name, lt);
            var formattingKey = Formatting.Contains(name) ? name + " " + html[attributesStart..(_position - 1)].Trim() : null;
            Push(name, foreign: false, lt, formattingKey: formattingKey); // self-closing is ignored on HTML elements: they stay open
            return true;
        }

        private bool EndTag(int lt)
        {
            _position = lt + 2;
            var name = ReadName();
            if (!SkipAttributes(out _))
            {
                return false;
            }
            if (!_open.TryFind(name, out var index))
            {
                Forget(name); // its own end tag ends a re-opened formatting element
                return true;
            }
            var entry = _open[index];
            int barrier;
            if (entry.Foreign)
            {
                barrier = BarrierHtml;
            }
            else if (name == "p")
            {
                barrier = BarrierButtonScope;
            }
            else if (name is "li")
            {
                barrier = BarrierListItemScope;
            }
            else if (name is "table" or "tbody" or "thead" or "tfoot" or "tr" or "td" or "th" or "caption")
            {
                barrier = BarrierTableScope;
            }
            else if (Special.Contains(name))
            {
                barrier = BarrierScope;
            }
            else
            {
                barrier = BarrierSpecial;
            }
            if (IsBlocked(index, barrier))
            {
                return true; // the parser ignores it: nothing closes
            }
            if (entry.Dropped)
            {
                _drops.Add((lt, _position));
            }
            PopTo(index);
            return true;
        }

        /// <summary>The elements a start tag closes before it opens (only those that matter for depth).</summary>
        private void CloseImplied(string name, int tagStart)
        {
            if (name is "li")
            {
                CloseIfOpen("li", BarrierListItem);
            }
            else if (name is "dd" or "dt")
            {
                CloseIfOpen("dd", BarrierListItem);
                CloseIfOpen("dt", BarrierListItem);
            }
            if (ClosesParagraph.Contains(name))
            {
                CloseIfOpen("p", BarrierButtonScope);
            }
            switch (name)
            {
                case "a" or "nobr" or "button":
                    CloseIfOpen(name, name == "button" ? BarrierScope : BarrierSpecial);
                    if (name != "button")
                    {
                        Forget(name);
                    }
                    break;
                case "h1" or "h2" or "h3" or "h4" or "h5" or "h6" when _open.Count > 0 && _open[_open.Count - 1].Name is "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    PopTo(_open.Count - 1);
                    break;
                case "option" or "optgroup" when _open.Count > 0 && _open[_open.Count - 1].Name == "option":
                    PopTo(_open.Count - 1);
                    break;
                case "td" or "th" or "tr" or "tbody" or "thead" or "tfoot" or "caption" or "colgroup":
                    CloseTablePart(name, tagStart);
                    break;
            }
        }

        /// <summary>
        /// A new cell, row or section closes the open one of the same table; a row or cell straight in a table opens
        /// the section (and row) the parser implies.
        /// </summary>
        private void CloseTablePart(string name, int tagStart)
        {
            var table = _open.TryFind("table", out var tableIndex) ? tableIndex : -1;
            string[] closes = name switch
            {
                "td" or "th" => ["td", "th"],
                "tr" => ["tr", "td", "th"],
                _ => ["tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup"],
            };
            var lowest = int.MaxValue;
            foreach (var part in closes)
            {
                if (_open.TryFind(part, out var index) && index > table)
                {
                    lowest = Math.Min(lowest, index);
                }
            }
            if (lowest != int.MaxValue)
            {
                PopTo(lowest);
            }
            var top = _open.Count > 0 ? _open[_open.Count - 1].Name : null;
            if (name is "tr" or "td" or "th" && top == "table")
            {
                Push("tbody", foreign: false, tagStart, implied: true);
                top = "tbody";
            }
            if (name is "td" or "th" && top is "tbody" or "thead" or "tfoot")
            {
                Push("tr", foreign: false, tagStart, implied: true);
            }
        }

        private void CloseIfOpen(string name, int barrier)
        {
            if (_open.TryFind(name, out var index) && !_open[index].Foreign && !IsBlocked(index, barrier))
            {
                PopTo(index);
            }
        }

        /// <summary>True when an element of the barrier kind sits above the one at <paramref name="index"/>.</summary>
        private bool IsBlocked(int index, int barrier) =>
            _barriers[barrier].TryPeek(out var nearest) && nearest > index;

        private void Push(string name, bool foreign, int tagStart, bool implied = false, string? formattingKey = null)
        {
            var dropped = Depth >= maxDepth;
            if (dropped && !implied)
            {
                _drops.Add((tagStart, _position));
            }
            var barriers = BarriersOf(name, foreign);
            var index = _open.Count;
            _open.Push(name, new Entry(name, foreign, dropped, barriers, formattingKey));
            for (var kind = 0; kind < BarrierKinds; kind++)
            {
                if ((barriers & (1 << kind)) != 0)
                {
                    _barriers[kind].Push(index);
                }
            }
        }

        private static int BarriersOf(string name, bool foreign)
        {
            if (foreign)
            {
                var integration = IntegrationPoints.Contains(name);
                return integration
                    ? 1 << BarrierSpecial | 1 << BarrierScope | 1 << BarrierButtonScope | 1 << BarrierListItemScope | 1 << BarrierListItem
                    : 0;
            }
            var barriers = 1 << BarrierHtml;
            if (Special.Contains(name))
            {
                barriers |= 1 << BarrierSpecial;
                if (name is not ("address" or "div" or "p"))
                {
                    barriers |= 1 << BarrierListItem;
                }
            }
            if (ScopeMarkers.Contains(name))
            {
                barriers |= 1 << BarrierScope | 1 << BarrierButtonScope | 1 << BarrierListItemScope | 1 << BarrierMarker;
            }
            if (name is "table" or "template")
            {
                barriers |= 1 << BarrierTableScope;
            }
            if (name == "button")
            {
                barriers |= 1 << BarrierButtonScope;
            }
            if (name is "ol" or "ul")
            {
                barriers |= 1 << BarrierListItemScope;
            }
            return barriers;
        }

        /// <summary>
        /// Closes the element at <paramref name="index"/> and everything above it. Formatting elements closed on the
        /// way, but not by a table cell or other marker closing with them, are re-opened by the parser later: counted.
        /// </summary>
        private void PopTo(int index)
        {
            var lowestMarker = int.MaxValue;
            while (_barriers[BarrierMarker].TryPeek(out var marker) && marker >= index)
            {
                lowestMarker = marker;
                _barriers[BarrierMarker].Pop();
            }
            for (var i = _open.Count - 1; i >= index; i--)
            {
                var entry = _open.Pop();
                for (var kind = 0; kind < BarrierKinds; kind++)
                {
                    if (kind != BarrierMarker && (entry.Barriers & (1 << kind)) != 0)
                    {
                        _barriers[kind].Pop();
                    }
                }
                if (i > index && i < lowestMarker && !entry.Foreign && !entry.Dropped && entry.FormattingKey is { } key)
                {
                    Remember(entry.Name, key);
                }
            }
        }

        /// <summary>
        /// Counts a formatting element the parser will re-open, but at most three alike (same name and attributes):
        /// the parser keeps no more of them ("Noah's Ark"), so a heading's unclosed &lt;b&gt; repeated down an
        /// article does not add a level per paragraph.
        /// </summary>
        private void Remember(string name, string key)
        {
            var count = _reopened.GetValueOrDefault(key);
            if (count == 3)
            {
                return;
            }
            _reopened[key] = count + 1;
            if (!_reopenedKeys.TryGetValue(name, out var keys))
            {
                _reopenedKeys[name] = keys = new Stack<string>();
            }
            keys.Push(key);
            _reopenedTotal++;
        }

        /// <summary>Ends the latest re-opened formatting element of that name, if any.</summary>
        private void Forget(string name)
        {
            if (!_reopenedKeys.TryGetValue(name, out var keys) || !keys.TryPop(out var key))
            {
                return;
            }
            _reopened[key]--;
            _reopenedTotal--;
        }

        private string ReadName()
        {
            var start = _position;
            while (_position < html.Length && !IsSpace(html[_position]) && html[_position] is not ('/' or '>'))
            {
                _position++;
            }
            return html[start.._position].ToLowerInvariant();
        }

        /// <summary>Moves past the tag's attributes and its "&gt;"; false when the input ends first (no tag then).</summary>
        private bool SkipAttributes(out bool selfClosing)
        {
            selfClosing = false;
            while (_position < html.Length)
            {
                var c = html[_position];
                if (IsSpace(c))
                {
                    _position++;
                }
                else if (c == '>')
                {
                    _position++;
                    return true;
                }
                else if (c == '/')
                {
                    _position++;
                    if (_position < html.Length && html[_position] == '>')
                    {
                        selfClosing = true;
                        _position++;
                        return true;
                    }
                }
                else
                {
                    _position++; // an attribute name may start with any character, "=" included
                    while (_position < html.Length && !IsSpace(html[_position]) && html[_position] is not ('/' or '>' or '='))
                    {
                        _position++;
                    }
                    SkipSpaces();
                    if (_position < html.Length && html[_position] == '=')
                    {
                        _position++;
                        SkipSpaces();
                        if (_position >= html.Length)
                        {
                            return false;
                        }
                        var quote = html[_position];
                        if (quote is '"' or '\'')
                        {
                            var close = html.IndexOf(quote, _position + 1);
                            if (close < 0)
                            {
                                return false;
                            }
                            _position = close + 1;
                        }
                        else
                        {
                            while (_position < html.Length && !IsSpace(html[_position]) && html[_position] != '>')
                            {
                                _position++;
                            }
                        }
                    }
                }
            }
            return false;
        }

        private void SkipSpaces()
        {
            while (_position < html.Length && IsSpace(html[_position]))
            {
                _position++;
            }
        }

        /// <summary>Comment: ends at "--&gt;" or "--!&gt;"; "&lt;!--&gt;" and "&lt;!---&gt;" are empty; unclosed, it runs to the end.</summary>
        private void SkipComment(int start)
        {
            if (string.CompareOrdinal(html, start, ">", 0, 1) == 0 || string.CompareOrdinal(html, start, "->", 0, 2) == 0)
            {
                _position = html.IndexOf('>', start) + 1;
                return;
            }
            for (var dashes = html.IndexOf("--", start, StringComparison.Ordinal); dashes >= 0; dashes = html.IndexOf("--", dashes + 1, StringComparison.Ordinal))
            {
                if (string.CompareOrdinal(html, dashes + 2, ">", 0, 1) == 0)
                {
                    _position = dashes + 3;
                    return;
                }
                if (string.CompareOrdinal(html, dashes + 2, "!>", 0, 2) == 0)
                {
                    _position = dashes + 4;
                    return;
                }
            }
            _position = html.Length;
        }

        private void SkipPast(string end, int start)
        {
            var found = html.IndexOf(end, start, StringComparison.Ordinal);
            _position = found < 0 ? html.Length : found + end.Length;
        }

        /// <summary>Raw text runs to "&lt;/name" followed by a space, "/" or "&gt;" (any case); the end tag is consumed too.</summary>
        private void SkipRawText(string name)
        {
            var search = _position;
            while (true)
            {
                var close = html.IndexOf("</" + name, search, StringComparison.OrdinalIgnoreCase);
                if (close < 0)
                {
                    _position = html.Length;
                    return;
                }
                var after = close + 2 + name.Length;
                if (after >= html.Length || IsSpace(html[after]) || html[after] is '/' or '>')
                {
                    _position = after;
                    SkipAttributes(out _);
                    return;
                }
                search = close + 1;
            }
        }

        private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';
    }
}
