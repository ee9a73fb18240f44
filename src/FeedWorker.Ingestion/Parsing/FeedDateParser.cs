using System.Globalization;
using System.Text.RegularExpressions;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// RFC 822 (with the usual sloppiness: no weekday, two-digit years, named and military zones, missing
/// seconds, non-English names), ISO 8601 / W3C-DTF variants and asctime. Invariant culture; an
/// unknown zone is an unparsable date, never silently UTC.
/// </summary>
internal static partial class FeedDateParser
{
    private static readonly Dictionary<string, int> Months = BuildMonths();

    private static readonly Dictionary<string, int> ZoneMinutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0, ["WET"] = 0,
        ["EST"] = -300, ["EDT"] = -240, ["CST"] = -360, ["CDT"] = -300, ["MST"] = -420, ["MDT"] = -360,
        ["PST"] = -480, ["PDT"] = -420, ["AKST"] = -540, ["AKDT"] = -480, ["HST"] = -600, ["AST"] = -240, ["ADT"] = -180,
        ["NST"] = -210, ["NDT"] = -150, ["BST"] = 60, ["IST"] = 330, ["CET"] = 60, ["CEST"] = 120, ["MET"] = 60, ["MEST"] = 120,
        ["WEST"] = 60, ["EET"] = 120, ["EEST"] = 180, ["MSK"] = 180, ["MSD"] = 240, ["JST"] = 540, ["KST"] = 540,
        ["HKT"] = 480, ["SGT"] = 480, ["AWST"] = 480, ["ACST"] = 570, ["ACDT"] = 630, ["AEST"] = 600, ["AEDT"] = 660,
        ["NZST"] = 720, ["NZDT"] = 780, ["ET"] = -300, ["CT"] = -360, ["MT"] = -420, ["PT"] = -480,
    };

    /// <summary>Parses a date; an unparsable one is null plus a warning naming where it was, never a guessed time.</summary>
    public static DateTimeOffset? Parse(string? raw, string where, List<string> warnings)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var parsed = Parse(raw);
        if (parsed is null)
        {
            warnings.Add($"{where}: unparsable date '{raw.Trim()}'");
        }
        return parsed;
    }

    public static DateTimeOffset? Parse(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var text = raw.Trim();
        return TryIso(text) ?? TryRfc822(text) ?? TryAsctime(text) ?? TryFallback(text);
    }

    private static DateTimeOffset? TryIso(string text)
    {
        var m = Iso().Match(text);
        if (!m.Success)
        {
            return null;
        }
        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        var month = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 1;
        var day = m.Groups["d"].Success ? int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture) : 1;
        if (m.Groups["ord"].Success)
        {
            var ordinal = int.Parse(m.Groups["ord"].Value, CultureInfo.InvariantCulture);
            if (ordinal is < 1 or > 366)
            {
                return null;
            }
            var date = new DateTime(year, 1, 1).AddDays(ordinal - 1);
            month = date.Month;
            day = date.Day;
        }
        var hour = Int(m, "H");
        var minute = Int(m, "M");
        var second = Int(m, "S");
        var fraction = m.Groups["f"].Success ? double.Parse("0." + m.Groups["f"].Value, CultureInfo.InvariantCulture) : 0;
        var offset = 0;
        if (m.Groups["z"].Success && m.Groups["z"].Value is not ("Z" or "z" or ""))
        {
            var sign = m.Groups["zs"].Value == "-" ? -1 : 1;
            offset = sign * (Int(m, "zh") * 60 + Int(m, "zm"));
        }
        return Build(year, month, day, hour, minute, second, offset, fraction);
    }

    private static DateTimeOffset? TryRfc822(string text)
    {
        var m = Rfc822().Match(text);
        if (!m.Success || !Months.TryGetValue(m.Groups["mon"].Value.TrimEnd('.').ToLowerInvariant(), out var month))
        {
            return null;
        }
        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        year = m.Groups["y"].Value.Length == 2 ? (year < 50 ? 2000 + year : 1900 + year) : year;
        var offset = Zone(m.Groups["zone"].Value);
        if (offset is null)
        {
            return null;
        }
        return Build(year, month, Int(m, "d"), Int(m, "H"), Int(m, "M"), Int(m, "S"), offset.Value, 0);
    }

    private static DateTimeOffset? TryAsctime(string text)
    {
        var m = Asctime().Match(text);
        if (!m.Success || !Months.TryGetValue(m.Groups["mon"].Value.ToLowerInvariant(), out var month))
        {
            return null;
        }
        var offset = Zone(m.Groups["zone"].Value);
        return offset is null ? null
            : Build(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), month, Int(m, "d"), Int(m, "H"), Int(m, "M"), Int(m, "S"), offset.Value, 0);
    }

    private static DateTimeOffset? TryFallback(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value) ? value : null;

    private static int? Zone(string zone)
    {
        zone = zone.Trim();
        if (zone.Length == 0)
        {
            return 0;
        }
        var numeric = NumericZone().Match(zone);
        if (numeric.Success)
        {
            var sign = numeric.Groups["s"].Value == "-" ? -1 : 1;
            var digits = numeric.Groups["h"].Value + numeric.Groups["m"].Value;
            var hours = digits.Length <= 2 ? int.Parse(digits, CultureInfo.InvariantCulture) : int.Parse(digits[..^2], CultureInfo.InvariantCulture);
            var minutes = digits.Length <= 2 ? 0 : int.Parse(digits[^2..], CultureInfo.InvariantCulture);
            return sign * (hours * 60 + minutes);
        }
        if (ZoneMinutes.TryGetValue(zone, out var minutesOffset))
        {
            return minutesOffset;
        }
        if (zone.Length == 1 && char.IsAsciiLetter(zone[0]))
        {
            var c = char.ToUpperInvariant(zone[0]);
            return c switch
            {
                >= 'A' and <= 'I' => (c - 'A' + 1) * 60,
                >= 'K' and <= 'M' => (c - 'K' + 10) * 60,
                >= 'N' and <= 'Y' => -(c - 'N' + 1) * 60,
                _ => null,
            };
        }
        return null;
    }

    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, int offsetMinutes, double fraction)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 24 || minute > 59 || second > 60 || Math.Abs(offsetMinutes) > 14 * 60)
        {
            return null;
        }
        var extra = TimeSpan.Zero;
        if (hour == 24)
        {
            hour = 0;
            extra = TimeSpan.FromDays(1);
        }
        if (second == 60)
        {
            second = 59;
        }
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified) + extra + TimeSpan.FromSeconds(fraction);
        try
        {
            return new DateTimeOffset(local, TimeSpan.FromMinutes(offsetMinutes));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static int Int(Match m, string group) =>
        m.Groups[group].Success && m.Groups[group].Value.Length > 0 ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    private static Dictionary<string, int> BuildMonths()
    {
        var months = new Dictionary<string, int>(StringComparer.Ordinal);
        string[][] names =
        [
            ["jan", "january", "janvier", "januar", "enero", "gennaio", "janeiro", "januari", "ιαν", "ιανουαρίου", "jän", "led", "sty", "ene", "gen", "jaan", "tammi"],
            ["feb", "february", "février", "fevrier", "fév", "fev", "februar", "febrero", "febbraio", "fevereiro", "februari", "φεβ", "φεβρουαρίου", "úno", "lut"],
            ["mar", "march", "mars", "märz", "marz", "mär", "marzo", "março", "maart", "μάρ", "μαρ", "μαρτίου", "bře", "mrz"],
            ["apr", "april", "avril", "avr", "abril", "aprile", "abr", "απρ", "απριλίου", "dub", "kwi"],
            ["may", "mai", "mayo", "maggio", "maio", "mei", "μάι", "μαι", "μαΐου", "kvě", "maj", "mag"],
            ["jun", "june", "juin", "juni", "junio", "giugno", "junho", "ιούν", "ιουν", "ιουνίου", "čer", "cze", "giu"],
            ["jul", "july", "juillet", "juil", "juli", "julio", "luglio", "julho", "ιούλ", "ιουλ", "ιουλίου", "čvc", "lip", "lug"],
            ["aug", "august", "août", "aout", "agosto", "augustus", "αύγ", "αυγ", "αυγούστου", "srp", "sie", "ago", "aoû"],
            ["sep", "sept", "september", "septembre", "septiembre", "settembre", "setembro", "σεπ", "σεπτεμβρίου", "zář", "wrz", "set"],
            ["oct", "october", "octobre", "oktober", "octubre", "ottobre", "outubro", "okt", "οκτ", "οκτωβρίου", "říj", "paź", "ott", "out"],
            ["nov", "november", "novembre", "noviembre", "novembro", "νοέ", "νοε", "νοεμβρίου", "lis", "listopad"],
            ["dec", "december", "décembre", "decembre", "déc", "dezember", "dez", "diciembre", "dicembre", "dezembro", "δεκ", "δεκεμβρίου", "pro", "gru", "dic"],
        ];
        for (var i = 0; i < names.Length; i++)
        {
            foreach (var name in names[i])
            {
                months.TryAdd(name, i + 1);
            }
        }
        return months;
    }

    [GeneratedRegex(@"^(?<y>\d{4})(?:-?(?:(?<ord>\d{3})|(?<m>\d{2})(?:-?(?<d>\d{2}))?))?(?:[T\s](?<H>\d{2}):?(?<M>\d{2})(?::?(?<S>\d{2})(?:[.,](?<f>\d+))?)?)?\s*(?<z>Z|z|(?<zs>[+-])(?<zh>\d{2}):?(?<zm>\d{2})?)?$")]
    private static partial Regex Iso();

    [GeneratedRegex(@"^(?:[^\d,\s]+\.?,?\s*)?(?<d>\d{1,2})[\s-]+(?<mon>[^\d\s,.-]+)\.?,?[\s-]+(?<y>\d{4}|\d{2})(?:,?\s+(?<H>\d{1,2}):(?<M>\d{2})(?::(?<S>\d{2}))?(?:\.\d+)?)?\s*(?<zone>[A-Za-z]{1,5}|[+-]\d{1,4}|[+-]\d{2}:\d{2})?\s*$")]
    private static partial Regex Rfc822();

    [GeneratedRegex(@"^(?:[A-Za-z]{3},?\s+)?(?<mon>[A-Za-z]{3})\s+(?<d>\d{1,2})\s+(?<H>\d{1,2}):(?<M>\d{2})(?::(?<S>\d{2}))?\s*(?<zone>[A-Za-z]{1,5}|[+-]\d{4})?\s+(?<y>\d{4})$")]
    private static partial Regex Asctime();

    [GeneratedRegex(@"^(?<s>[+-])(?<h>\d{1,2}):?(?<m>\d{2})?$")]
    private static partial Regex NumericZone();
}
