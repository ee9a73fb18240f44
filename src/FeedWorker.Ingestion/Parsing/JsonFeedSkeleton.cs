using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// A JSON document as CodeHollow.FeedReader can read it in linear time. The library reads JSON through
/// an XML reader and <c>XElement.Load</c>, which appends every escape sequence and every 2 KB chunk of a
/// string to the text node built so far: one string costs the square of its escapes (200 KB a third of
/// it escaped: 5–7 s, all of it in <c>XElement.Load</c>). So every string literal longer than
/// <see cref="MaxInlineLength"/> is decoded by System.Text.Json and replaced by a short placeholder, and
/// <see cref="Text"/> turns what the library returns back into the decoded string. Everything else is
/// left exactly as written: the library still reads the structure, the short strings it interprets
/// (version, dates) and the numbers, with its own leniency (trailing commas, NaN) and its own errors.
/// </summary>
internal sealed class JsonFeedSkeleton
{
    /// <summary>A string literal up to this long (as written) is kept: its escapes cost the library little.</summary>
    internal const int MaxInlineLength = 64;

    /// <summary>Starts every placeholder. A kept string never decodes to text starting with it (such a string is replaced too).</summary>
    internal const string Marker = "@feedworker-text:";

    private static readonly SearchValues<char> QuoteOrEscape = SearchValues.Create("\"\\");

    private static readonly JsonReaderOptions SyntaxCheck = new() { AllowTrailingCommas = true, MaxDepth = int.MaxValue };

    private readonly List<string> _texts;

    private JsonFeedSkeleton(string json, List<string> texts)
    {
        Json = json;
        _texts = texts;
    }

    /// <summary>The document for the library: the same text, long string literals replaced.</summary>
    public string Json { get; }

    /// <summary>Reads the string literals of <paramref name="json"/> (unpaired surrogate escapes already repaired, <see cref="JsonTextRepair"/>).</summary>
    /// <exception cref="JsonException">A long string literal is not valid JSON text (a raw control character, a bad escape).</exception>
    public static JsonFeedSkeleton Of(string json)
    {
        var texts = new List<string>();
        StringBuilder? skeleton = null;
        var copied = 0;
        var at = 0;
        while (json.IndexOf('"', at) is var open and >= 0 && EndOfString(json, open) is var close and >= 0)
        {
            at = close + 1;
            var literal = json.AsSpan(open, close - open + 1);
            // only a literal that starts with '@' or an escape can decode to text that starts with the marker
            var mayBeMarker = literal.Length > 2 && literal[1] is '@' or '\\';
            if (literal.Length - 2 <= MaxInlineLength && !mayBeMarker)
            {
                continue;
            }
            var text = Decode(literal);
            if (literal.Length - 2 <= MaxInlineLength && !text.StartsWith(Marker, StringComparison.Ordinal))
            {
                continue;
            }
            skeleton ??= new StringBuilder(json.Length / 2);
            skeleton.Append(json, copied, open - copied).Append('"').Append(Marker).Append(texts.Count).Append('"');
            copied = close + 1;
            texts.Add(text);
        }
        // an unterminated string is left as written: the library reports it
        return new JsonFeedSkeleton(skeleton is null ? json : skeleton.Append(json, copied, json.Length - copied).ToString(), texts);
    }

    /// <summary>The decoded string a value read from <see cref="Json"/> stands for: itself unless it is a placeholder.</summary>
    public string? Text(string? value) =>
        value is not null && value.StartsWith(Marker, StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(Marker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < _texts.Count
            ? _texts[index] : value;

    /// <summary>Index of the quote that closes the string opened at <paramref name="open"/>, or -1 when none does.</summary>
    private static int EndOfString(string json, int open)
    {
        var i = open + 1;
        while (i < json.Length && json.AsSpan(i).IndexOfAny(QuoteOrEscape) is var found and >= 0)
        {
            i += found;
            if (json[i] == '"')
            {
                return i;
            }
            i += 2; // an escape: its second character is never the end
        }
        return -1;
    }

    private static string Decode(ReadOnlySpan<char> literal)
    {
        var utf8 = new byte[Encoding.UTF8.GetByteCount(literal)];
        Encoding.UTF8.GetBytes(literal, utf8);
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>
    /// The first thing System.Text.Json finds wrong with <paramref name="json"/>, naming the character and its
    /// position; null when it reads the document. Its options follow the feed library's leniency where they can
    /// (trailing commas, any depth); for the library's syntax errors, whose own messages can be vague.
    /// </summary>
    public static string? SyntaxError(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), SyntaxCheck);
        try
        {
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }
}
