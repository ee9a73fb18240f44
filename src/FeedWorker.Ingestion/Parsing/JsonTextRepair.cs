using System.Globalization;
using System.Text;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// Inside JSON strings, replaces what fails a whole document in the reader with an escaped NUL:
/// an escaped unpaired surrogate (System.Text.Json rejects <c>\ud800\u001e</c>) and a raw U+FFFE or
/// U+FFFF (the feed library rejects them). The NUL is then removed by <see cref="StorableFeed"/>, which
/// names the item in its warning, so the text ends up as if the character had never been there.
/// Written by hand because neither library offers a lenient mode for these.
/// </summary>
internal static class JsonTextRepair
{
    private const string EscapedNul = "\\u0000";

    public static string Repair(string json)
    {
        if (json.AsSpan().IndexOfAny("\\\uFFFE\uFFFF") < 0)
        {
            return json;
        }
        StringBuilder? repaired = null;
        var copied = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c == '"')
            {
                inString = !inString;
                continue;
            }
            if (!inString)
            {
                continue;
            }
            var length = 0;
            if (c is '\uFFFE' or '\uFFFF')
            {
                length = 1;
            }
            else if (c == '\\' && i + 1 < json.Length)
            {
                if (!TryEscape(json, i, out var unit) || !char.IsSurrogate(unit))
                {
                    i++; // an escape of another kind (\\, \", \n, \u0041): skip its second character
                    continue;
                }
                if (char.IsHighSurrogate(unit) && TryEscape(json, i + 6, out var next) && char.IsLowSurrogate(next))
                {
                    i += 11; // a proper pair
                    continue;
                }
                length = 6;
            }
            if (length == 0)
            {
                continue;
            }
            repaired ??= new StringBuilder(json.Length);
            repaired.Append(json, copied, i - copied).Append(EscapedNul);
            copied = i + length;
            i += length - 1;
        }
        return repaired is null ? json : repaired.Append(json, copied, json.Length - copied).ToString();
    }

    private static bool TryEscape(string json, int at, out char unit)
    {
        unit = '\0';
        if (at + 6 > json.Length || json[at] != '\\' || json[at + 1] != 'u'
            || !ushort.TryParse(json.AsSpan(at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        unit = (char)value;
        return true;
    }
}
