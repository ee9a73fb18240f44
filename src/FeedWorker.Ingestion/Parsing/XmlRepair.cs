using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// Rewrites feed text into something a strict XML parser accepts: no DOCTYPE (external entities are
/// dropped, entity bombs refused), HTML named entities as numeric references, stray '&amp;' escaped,
/// characters XML forbids removed, windows-1252 code points in the C1 range mapped to what they meant.
/// Hand-written because no library repairs XML; AngleSharp supplies the HTML5 entity table.
/// </summary>
internal static partial class XmlRepair
{
    /// <param name="Text">The repaired document from <see cref="Start"/> on, or null when it is refused.</param>
    /// <param name="Error">Why the document was refused.</param>
    public sealed record Outcome(string? Text, string? Error)
    {
        /// <summary>
        /// Where the document starts in <see cref="Text"/>: after the XML declaration and any text before the root, which
        /// are skipped rather than copied away when nothing else needs repair.
        /// </summary>
        public int Start { get; init; }

        public ReadOnlySpan<char> Span => Text.AsSpan(Start);

        /// <summary>A reader of the document from <see cref="Start"/> on.</summary>
        public TextReader OpenReader()
        {
            var reader = new StringReader(Text ?? throw new InvalidOperationException(Error));
            Span<char> skipped = stackalloc char[256];
            for (var left = Start; left > 0;)
            {
                var read = reader.Read(skipped[..Math.Min(left, skipped.Length)]);
                if (read == 0)
                {
                    break;
                }
                left -= read;
            }
            return reader;
        }
    }

    /// <summary>How much DTD entity text a document may add before it counts as an expansion attack.</summary>
    private static long ExpansionLimit(int length) => Math.Max(4L * length, length + (1L << 20));

    public static Outcome Repair(string text, List<string> warnings)
    {
        var root = text.IndexOf('<');
        if (root < 0)
        {
            return new Outcome(null, "the document contains no markup");
        }
        if (root > 0 && text.AsSpan(0, root).Trim().Length > 0)
        {
            warnings.Add("text before the first tag was removed");
        }
        // The document starts at the root, after the declaration (the text is decoded already): what comes before is
        // skipped, and copied away only when the declaration is not at the start.
        var declaration = XmlDeclaration().Match(text, root);
        var start = root;
        if (declaration.Success && declaration.Index == root)
        {
            start = root + declaration.Length;
        }
        else if (declaration.Success)
        {
            text = text.Remove(declaration.Index, declaration.Length)[root..];
            start = 0;
        }

        var entities = new Dictionary<string, string>(StringComparer.Ordinal);
        var doctype = FindDoctype(text, start);
        if (doctype is var (doctypeStart, length))
        {
            var subset = text.Substring(doctypeStart, length);
            foreach (Match m in EntityDeclaration().Matches(subset))
            {
                var name = m.Groups["name"].Value;
                if (m.Groups["value"].Success)
                {
                    var value = m.Groups["value"].Value;
                    if (m.Groups["param"].Success || EntityUse().IsMatch(value))
                    {
                        return new Outcome(null, $"refused: the DTD declares entity '{name}' built from other entities (entity-expansion attack)");
                    }
                    entities[name] = System.Net.WebUtility.HtmlDecode(value);
                }
                else if (m.Groups["param"].Success)
                {
                    warnings.Add($"external parameter entity '{name}' was not loaded");
                }
                else
                {
                    warnings.Add($"external entity '{name}' was not resolved");
                    entities[name] = "";
                }
            }
            text = string.Concat(text.AsSpan(start, doctypeStart - start), text.AsSpan(doctypeStart + length));
            start = 0;
        }
        var (fixedText, fixedStart) = FixCharacters(text, start, entities, warnings);
        return fixedText.Length - fixedStart > ExpansionLimit(text.Length - start)
            ? new Outcome(null, "refused: entity references expand the document far beyond its size (entity-expansion attack)")
            : new Outcome(fixedText, null) { Start = fixedStart };
    }

    /// <summary>The DOCTYPE of the document that starts at <paramref name="documentStart"/>, when it has one.</summary>
    private static (int Start, int Length)? FindDoctype(string text, int documentStart)
    {
        var start = -1;
        for (var from = documentStart; ;)
        {
            var candidate = text.IndexOf("<!DOCTYPE", from, StringComparison.OrdinalIgnoreCase);
            if (candidate < 0)
            {
                return null;
            }
            var commentOpen = text.LastIndexOf("<!--", candidate, candidate - documentStart + 1, StringComparison.Ordinal);
            if (commentOpen >= 0 && text.IndexOf("-->", commentOpen, StringComparison.Ordinal) is var close && (close < 0 || close > candidate))
            {
                from = candidate + 9;
                continue;
            }
            start = candidate;
            break;
        }
        if (FirstElement().Match(text, documentStart) is { Success: true } first && first.Index < start)
        {
            return null;
        }
        var i = start + 9;
        var inSubset = false;
        char quote = '\0';
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                inSubset = true;
            }
            else if (c == ']')
            {
                inSubset = false;
            }
            else if (c == '>' && !inSubset)
            {
                return (start, i - start + 1);
            }
        }
        return (start, text.Length - start);
    }

    /// <summary>The document that starts at <paramref name="start"/>, fixed, and where it starts in the result.</summary>
    private static (string Text, int Start) FixCharacters(string text, int start, Dictionary<string, string> entities, List<string> warnings)
    {
        // Most feeds need no fix: they pass through without being copied.
        var first = FirstChange(text, start);
        if (first < 0)
        {
            return (text, start);
        }
        var sb = new StringBuilder(text.Length - start + 64).Append(text, start, first - start);
        var dropped = 0;
        var doubleEncoded = 0;
        var i = first;
        while (i < text.Length)
        {
            var c = text[i];
            // CDATA sections and comments are literal: references inside them stay as written.
            if (c == '<' && (VerbatimEnd(text, i, "<![CDATA[", "]]>") ?? VerbatimEnd(text, i, "<!--", "-->")) is { } stop)
            {
                for (var j = i; j < stop; j++)
                {
                    AppendChar(sb, text, ref j, ref dropped);
                }
                i = stop;
                continue;
            }
            if (c == '&')
            {
                i = AppendReference(sb, text, i, entities, ref dropped, ref doubleEncoded);
                continue;
            }
            AppendChar(sb, text, ref i, ref dropped);
            i++;
        }
        if (doubleEncoded > 0)
        {
            warnings.Add($"{doubleEncoded} UTF-8 sequence(s) written as Latin-1 character references were decoded");
        }
        if (dropped > 0)
        {
            warnings.Add($"{dropped} character(s) not allowed in XML were removed");
        }
        return (sb.ToString(), 0);
    }

    /// <summary>
    /// Where <see cref="FixCharacters"/> would first write something other than the text (or, for a CDATA section or
    /// comment, the start of that section), or -1 when it would write the text unchanged. Numeric references count as
    /// unchanged when they stand for an allowed character that is neither C1 nor part of double-encoded UTF-8: rewriting
    /// them in decimal changes no parsed character.
    /// </summary>
    private static int FirstChange(string text, int start)
    {
        var i = start;
        while (text.AsSpan(i).IndexOfAny(MayChange) is var hit and >= 0)
        {
            i += hit;
            if (text[i] == '<')
            {
                if ((VerbatimEnd(text, i, "<![CDATA[", "]]>") ?? VerbatimEnd(text, i, "<!--", "-->")) is { } stop)
                {
                    if (VerbatimChanges(text, i, stop))
                    {
                        return i;
                    }
                    i = stop;
                    continue;
                }
            }
            else if (text[i] == '&' ? !ReferenceKept(text, ref i) : CharChanges(text, ref i))
            {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static bool VerbatimChanges(string text, int start, int stop)
    {
        for (var j = start; j < stop && text.AsSpan(j, stop - j).IndexOfAny(MayChangeInVerbatim) is var hit and >= 0; j++)
        {
            j += hit;
            if (CharChanges(text, ref j))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Characters <see cref="AppendChar"/> may rewrite or drop: C1 controls, characters XML forbids, surrogates (kept only in pairs).</summary>
    private static readonly SearchValues<char> MayChangeInVerbatim = SearchValues.Create(CharsAppendCharMayChange());

    /// <summary>Those, and where a reference or a CDATA section or comment may start.</summary>
    private static readonly SearchValues<char> MayChange = SearchValues.Create("&<" + CharsAppendCharMayChange());

    private static string CharsAppendCharMayChange()
    {
        var chars = new StringBuilder();
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (c is >= 0x80 and <= 0x9F || !IsXmlChar(c))
            {
                chars.Append((char)c);
            }
        }
        return chars.ToString();
    }

    /// <summary>
    /// Whether the character at i must be rewritten (C1) or dropped (not allowed in XML, a lone surrogate); a surrogate
    /// pair is kept, and i moves to its second half.
    /// </summary>
    private static bool CharChanges(string text, ref int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            i++;
            return false;
        }
        return c is >= '\u0080' and <= '\u009F' || !IsXmlChar(c);
    }

    /// <summary>Whether the reference at i is kept as an equivalent reference; if so, i moves to its last character.</summary>
    private static bool ReferenceKept(string text, ref int i)
    {
        if (PredefinedReferenceLength(text.AsSpan(i)) is var length and > 0)
        {
            i += length - 1;
            return true;
        }
        var m = Reference().Match(text, i);
        if (!m.Success)
        {
            return false;
        }
        if (m.Groups["name"].Success)
        {
            if (m.Groups["name"].Value is not ("amp" or "lt" or "gt" or "quot" or "apos"))
            {
                return false;
            }
        }
        else if (ParseCode(m) is not { } code || code is >= 0x80 and <= 0x9F || !IsXmlChar(code))
        {
            return false;
        }
        else if (code is >= 0xC2 and <= 0xF4 && (i + m.Length) is var next && TryDoubleEncoded(text, code, ref next) is not null)
        {
            return false;
        }
        i += m.Length - 1;
        return true;
    }

    /// <summary>
    /// The length of the reference to one of XML's five predefined entities at the start of the text, or 0. Escaped HTML
    /// (Atom's type="html", many RSS descriptions) is made of these: matching each with the reference pattern allocated
    /// almost twice what the rest of parsing such a feed did.
    /// </summary>
    private static int PredefinedReferenceLength(ReadOnlySpan<char> text) =>
        text.StartsWith("&lt;") || text.StartsWith("&gt;") ? 4
        : text.StartsWith("&amp;") ? 5
        : text.StartsWith("&quot;") || text.StartsWith("&apos;") ? 6
        : 0;

    private static int? VerbatimEnd(string text, int i, string open, string close)
    {
        if (string.CompareOrdinal(text, i, open, 0, open.Length) != 0)
        {
            return null;
        }
        var end = text.IndexOf(close, i + open.Length, StringComparison.Ordinal);
        return end < 0 ? text.Length : end + close.Length;
    }

    private static void AppendChar(StringBuilder sb, string text, ref int i, ref int dropped)
    {
        var start = i;
        if (!CharChanges(text, ref i))
        {
            sb.Append(text, start, i - start + 1); // the character, or the surrogate pair
        }
        else if (text[i] is >= '\u0080' and <= '\u009F')
        {
            sb.Append(Windows1252(text[i]));
        }
        else
        {
            dropped++;
        }
    }

    private static bool IsXmlChar(int c) =>
        c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    private static char Windows1252(int c) => C1Map[c - 0x80];

    private static readonly char[] C1Map =
    [
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    ];

    private static int AppendReference(StringBuilder sb, string text, int i, Dictionary<string, string> entities, ref int dropped, ref int doubleEncoded)
    {
        if (PredefinedReferenceLength(text.AsSpan(i)) is var length and > 0)
        {
            sb.Append(text, i, length);
            return i + length;
        }
        var m = Reference().Match(text, i);
        if (!m.Success)
        {
            sb.Append("&amp;");
            return i + 1;
        }
        if (CodeOf(m) is { } lead and >= 0xC2 and <= 0xF4 && m.Groups["name"].Success)
        {
            var after = i + m.Length;
            if (TryDoubleEncoded(text, lead, ref after) is { } repaired)
            {
                sb.Append("&#").Append(repaired).Append(';');
                doubleEncoded++;
                return after;
            }
        }
        if (m.Groups["name"].Success)
        {
            var name = m.Groups["name"].Value;
            if (name is "amp" or "lt" or "gt" or "quot" or "apos")
            {
                sb.Append(m.Value);
            }
            else if (entities.TryGetValue(name, out var value))
            {
                if (sb.Length > ExpansionLimit(text.Length))
                {
                    return text.Length;
                }
                sb.Append(System.Security.SecurityElement.Escape(value));
            }
            else if (HtmlEntity(name) is { Length: > 0 } symbol)
            {
                foreach (var rune in symbol.EnumerateRunes())
                {
                    sb.Append("&#").Append(rune.Value).Append(';');
                }
            }
            else
            {
                sb.Append("&amp;");
                return i + 1;
            }
            return i + m.Length;
        }
        var code = ParseCode(m);
        var next = i + m.Length;
        if (code is >= 0xC2 and <= 0xF4 && TryDoubleEncoded(text, code.Value, ref next) is { } decoded)
        {
            sb.Append("&#").Append(decoded).Append(';');
            doubleEncoded++;
            return next;
        }
        if (code is >= 0x80 and <= 0x9F)
        {
            code = Windows1252(code.Value);
        }
        if (code is null || !IsXmlChar(code.Value))
        {
            dropped++;
            return i + m.Length;
        }
        sb.Append("&#").Append(code.Value).Append(';');
        return i + m.Length;
    }

    /// <summary>HTML 4 meanings first (feeds predate HTML5, which remapped e.g. &amp;lang;), then the full HTML5 set.</summary>
    private static string? HtmlEntity(string name)
    {
        var reference = "&" + name + ";";
        var html4 = System.Net.WebUtility.HtmlDecode(reference);
        // AngleSharp keys the HTML5 names that require a semicolon with it ("bigstar;").
        return html4 != reference ? html4 : AngleSharp.Html.HtmlEntityProvider.Resolver.GetSymbol(name + ";") ?? AngleSharp.Html.HtmlEntityProvider.Resolver.GetSymbol(name);
    }

    /// <summary>The single code point a reference stands for, named or numeric (C1 code points as written, not remapped).</summary>
    private static int? CodeOf(Match m)
    {
        if (!m.Groups["name"].Success)
        {
            return ParseCode(m);
        }
        var symbol = m.Groups["name"].Value is "amp" or "lt" or "gt" or "quot" or "apos" ? null : HtmlEntity(m.Groups["name"].Value);
        return symbol is { Length: 1 } ? symbol[0] : null;
    }

    private static int? ParseCode(Match m)
    {
        var digits = m.Groups["dec"].Success ? m.Groups["dec"].Value : m.Groups["hex"].Value;
        var style = m.Groups["dec"].Success ? System.Globalization.NumberStyles.None : System.Globalization.NumberStyles.AllowHexSpecifier;
        return digits.Length <= 8 && int.TryParse(digits, style, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>UTF-8 read as Latin-1 and written out as character references (&amp;#226;&amp;#128;&amp;#166; for …).</summary>
    private static int? TryDoubleEncoded(string text, int lead, ref int next)
    {
        var count = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
        var bytes = new byte[count + 1];
        bytes[0] = (byte)lead;
        var position = next;
        for (var k = 1; k <= count; k++)
        {
            var m = Reference().Match(text, position);
            if (!m.Success || m.Index != position || CodeOf(m) is not { } cont || cont is < 0x80 or > 0xBF)
            {
                return null;
            }
            bytes[k] = (byte)cont;
            position += m.Length;
        }
        if (System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) != System.Buffers.OperationStatus.Done || consumed != bytes.Length)
        {
            return null;
        }
        next = position;
        return rune.Value;
    }

    [GeneratedRegex(@"\G&(?:#(?<dec>[0-9]+)|#[xX](?<hex>[0-9A-Fa-f]+)|(?<name>[A-Za-z][A-Za-z0-9._-]*));")]
    private static partial Regex Reference();

    [GeneratedRegex(@"<[A-Za-z_]")]
    private static partial Regex FirstElement();

    [GeneratedRegex(@"[&%][A-Za-z_:][^;\s]*;")]
    private static partial Regex EntityUse();

    [GeneratedRegex(@"<\?xml\s[^>]*\?>")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"<!ENTITY\s+(?<param>%\s+)?(?<name>[^\s%]+)\s+(?:""(?<value>[^""]*)""|'(?<value>[^']*)'|(?:SYSTEM|PUBLIC)[^>]*)\s*>")]
    private static partial Regex EntityDeclaration();
}
