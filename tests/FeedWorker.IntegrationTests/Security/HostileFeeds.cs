using System.Globalization;
using System.Security;
using System.Text;

namespace FeedWorker.IntegrationTests.Security;

/// <summary>
/// Feeds whose every stored field carries SQL-hostile text and a token unique to that field, so the
/// field can be traced through the database and the server log.
/// </summary>
public sealed class HostileFeeds
{
    /// <summary>What a value built by string concatenation would break on: quotes, comment, placeholders, escapes, dollar quoting, non-ASCII.</summary>
    public const string Hostile = "O'Brien '); DROP TABLE articles;-- $1 ? :name @p $$x$$ \\ E'\\x00' \"q\" Ünïcødé 雪 🙂";

    private readonly Dictionary<string, string> _tokens = [];

    /// <summary>Every token, by the field it was put in (e.g. <c>a.item1.title</c>).</summary>
    public IReadOnlyDictionary<string, string> Tokens => _tokens;

    /// <summary>A token for this field: letters and digits only, so it survives any escaping and reads the same in SQL, JSON and XML.</summary>
    public string Token(string field)
    {
        var token = "tok" + Guid.NewGuid().ToString("N")[..16];
        _tokens.Add(field, token);
        return token;
    }

    public string Text(string field) => $"{Hostile} {Token(field)}";

    public string Url(string field) => $"https://news.example/o'brien/{Token(field)}/$1/');DROP--TABLE--articles;--/?q=E'\\x00'&u=Ünï";

    /// <summary>An RSS 2.0 feed of <paramref name="items"/> items, every field hostile; bodies differ so no dedup layer merges them.</summary>
    public string Rss(string feed, int items, int seed)
    {
        var xml = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>""");
        xml.Append(CultureInfo.InvariantCulture, $"<title>{E(Text($"{feed}.title"))}</title>");
        xml.Append(CultureInfo.InvariantCulture, $"<link>{E(Url($"{feed}.link"))}</link>");
        xml.Append(CultureInfo.InvariantCulture, $"<description>{E(Text($"{feed}.description"))}</description>");
        for (var i = 0; i < items; i++)
        {
            var item = $"{feed}.item{i}";
            xml.Append("<item>");
            xml.Append(CultureInfo.InvariantCulture, $"<guid isPermaLink=\"false\">{E(Text($"{item}.guid"))}</guid>");
            xml.Append(CultureInfo.InvariantCulture, $"<title>{E(Text($"{item}.title"))}</title>");
            xml.Append(CultureInfo.InvariantCulture, $"<link>{E(Url($"{item}.link"))}</link>");
            xml.Append(CultureInfo.InvariantCulture, $"<author>{E(Text($"{item}.author"))}</author>");
            xml.Append(CultureInfo.InvariantCulture, $"<category>{E(Text($"{item}.category0"))}</category>");
            xml.Append(CultureInfo.InvariantCulture, $"<category>{E(Text($"{item}.category1"))}</category>");
            xml.Append(CultureInfo.InvariantCulture, $"<enclosure url=\"{E(Url($"{item}.enclosure"))}\" type=\"audio/mpeg\" length=\"1234\"/>");
            xml.Append(CultureInfo.InvariantCulture, $"<pubDate>{new DateTimeOffset(2026, 11, 1, 8, i, 0, TimeSpan.Zero).ToString("r", CultureInfo.InvariantCulture)}</pubDate>");
            var body = $"<p>{E(Text($"{item}.content"))}</p><p>{E(Storage.FeedFiles.Body(seed + i))}</p><p>'); DELETE FROM feeds WHERE ''='</p>";
            xml.Append(CultureInfo.InvariantCulture, $"<description><![CDATA[{body}]]></description>");
            xml.Append("</item>");
        }
        return xml.Append("</channel></rss>").ToString();
    }

    private static string E(string text) => SecurityElement.Escape(text);
}
