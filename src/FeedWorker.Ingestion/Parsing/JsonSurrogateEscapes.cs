using System.Globalization;
using System.Text;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// Removes <c>\uD800</c>-style escapes of unpaired surrogates from JSON text before it is read:
/// System.Text.Json rejects a whole document when a high-surrogate escape is followed by another
/// escape that is not a low surrogate, and the characters would be removed at the storage boundary
/// anyway. Written by hand because no JSON library offers a lenient mode for this.
/// </summary>
internal static class JsonSurrogateEscapes
{
    public static string Remove(string json, List<string> warnings)
    {
        if (!json.Contains("\\u", StringComparison.Ordinal))
        {
            return json;
        }
        StringBuilder? repaired = null;
        var copied = 0;
        var removed = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c == '"')
            {
                inString = !inString;
                continue;
            }
            if (!inString || c != '\\' || i + 1 >= json.Length)
            {
                continue;
            }
            if (json[i + 1] != 'u' || !TryEscape(json, i, out var unit) || !char.IsSurrogate(unit))
            {
                i++; // an escape of another kind (\\, \", \n, \u0041): skip its second character
                continue;
            }
            if (char.IsHighSurrogate(unit) && TryEscape(json, i + 6, out var next) && char.IsLowSurrogate(next))
            {
                i += 11; // a proper pair
                continue;
            }
            repaired ??= new StringBuilder(json.Length);
            repaired.Append(json, copied, i - copied);
            copied = i + 6;
            removed++;
            i += 5;
        }
        if (repaired is null)
        {
            return json;
        }
        warnings.Add($"{removed} escaped unpaired surrogate(s) (\\uD800-\\uDFFF) removed from the JSON");
        return repaired.Append(json, copied, json.Length - copied).ToString();
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
