using System.Globalization;
using System.Text;
using FeedWorker.Ingestion;
using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Parsing;
using Microsoft.Extensions.DependencyInjection;

namespace FeedWorker.IntegrationTests.Storage;

/// <summary>
/// Property: whatever text is in whatever field of an RSS, Atom or JSON Feed item (any Unicode plane,
/// control characters, NUL, unpaired surrogates, up to 1 MB), the feed is read and stored, and each
/// item is either stored or named in a warning. Seeded, so a failure reproduces; a bounded number of
/// cases keeps the suite fast.
/// </summary>
public sealed class HostileTextPropertyTests : IClassFixture<StorageHost>
{
    private const int ItemsPerCase = 4;
    private const int MaxFieldLength = 400;
    private const int LargeFieldLength = 1_000_000;

    private readonly StorageHost _host;

    public HostileTextPropertyTests(StorageHost host) => _host = host;

    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (var format in new[] { "rss", "atom", "json" })
        {
            for (var seed = 1; seed <= 6; seed++) cases.Add(format, seed);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_item_is_stored_or_skipped_with_a_warning_and_the_feed_never_fails(string format, int seed)
    {
        var random = new Random(seed * 7919 + format.Length);
        // the last seed of each format carries a field of up to a megabyte
        var large = seed == 6;
        var bytes = format switch
        {
            "rss" => HostileFeeds.Rss(random, ItemsPerCase, MaxFieldLength, large ? LargeFieldLength : 0),
            "atom" => HostileFeeds.Atom(random, ItemsPerCase, MaxFieldLength, large ? LargeFieldLength : 0),
            _ => HostileFeeds.Json(random, ItemsPerCase, MaxFieldLength, large ? LargeFieldLength : 0),
        };
        var url = $"https://hostile.example/{format}/{seed}";

        var parsed = _host.Services.GetRequiredService<FeedDocumentProcessor>().Process(new FeedDocument(bytes, null, new Uri(url)));

        Assert.True(parsed.Ok, $"{format} seed {seed}: {parsed.Error}");
        var feed = await _host.Feeds.EnsureAsync(url, CancellationToken.None);
        var result = await _host.Articles.StoreAsync(
            feed.Id, parsed.Feed!.Articles, _host.Feeds.Succeeded(feed, StorageHost.Success with { Warnings = parsed.Warnings }), cancellationToken: CancellationToken.None);

        var linked = new HashSet<string>();
        await using (var connection = await _host.OpenAsync())
        await using (var command = new Npgsql.NpgsqlCommand("SELECT item_key FROM feed_articles WHERE feed_id = @f", connection))
        {
            command.Parameters.AddWithValue("f", feed.Id);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) linked.Add(reader.GetString(0));
        }
        foreach (var article in parsed.Feed.Articles)
        {
            var key = ItemKeys.For(article);
            Assert.True(linked.Contains(key) || result.Warnings.Any(w => w.Contains(key, StringComparison.Ordinal)),
                $"{format} seed {seed}: item {key} was neither stored nor named in a warning");
        }
        Assert.NotEmpty(linked);
    }
}

/// <summary>Feeds whose every field is random text, written the way a broken publisher would.</summary>
internal static class HostileFeeds
{
    public static byte[] Rss(Random random, int items, int maxLength, int largeLength)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>");
        xml.Append($"<title>{X(random, maxLength)}</title><link>https://hostile.example/{X(random, maxLength)}</link><description>{X(random, maxLength)}</description><language>{X(random, 20)}</language>");
        for (var i = 0; i < items; i++)
        {
            var length = i == 0 && largeLength > 0 ? largeLength : maxLength;
            xml.Append("<item>");
            xml.Append($"<guid>{X(random, maxLength)}</guid><title>{X(random, length)}</title><link>https://hostile.example/{i}/{X(random, maxLength)}</link>");
            xml.Append($"<author>{X(random, maxLength)}</author><dc:creator>{X(random, maxLength)}</dc:creator><pubDate>{X(random, 60)}</pubDate>");
            xml.Append($"<description>{X(random, length)}</description><content:encoded>{X(random, length)}</content:encoded>");
            xml.Append($"<category>{X(random, maxLength)}</category><enclosure url=\"https://hostile.example/{X(random, maxLength)}\" type=\"{X(random, 40)}\" length=\"{X(random, 10)}\"/>");
            xml.Append("</item>");
        }
        xml.Append("</channel></rss>");
        return HostileText.Wtf8(xml.ToString());
    }

    public static byte[] Atom(Random random, int items, int maxLength, int largeLength)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">");
        xml.Append($"<title>{X(random, maxLength)}</title><id>{X(random, maxLength)}</id><updated>{X(random, 40)}</updated><link href=\"https://hostile.example/{X(random, maxLength)}\"/>");
        for (var i = 0; i < items; i++)
        {
            var length = i == 0 && largeLength > 0 ? largeLength : maxLength;
            xml.Append("<entry>");
            xml.Append($"<id>{X(random, maxLength)}</id><title type=\"text\">{X(random, length)}</title><link href=\"https://hostile.example/{i}/{X(random, maxLength)}\"/>");
            xml.Append($"<author><name>{X(random, maxLength)}</name></author><published>{X(random, 40)}</published><updated>{X(random, 40)}</updated>");
            xml.Append($"<summary>{X(random, length)}</summary><content type=\"html\">{X(random, length)}</content>");
            xml.Append($"<category term=\"{X(random, maxLength)}\"/><link rel=\"enclosure\" href=\"https://hostile.example/{X(random, maxLength)}\" type=\"{X(random, 40)}\"/>");
            xml.Append("</entry>");
        }
        xml.Append("</feed>");
        return HostileText.Wtf8(xml.ToString());
    }

    public static byte[] Json(Random random, int items, int maxLength, int largeLength)
    {
        var json = new StringBuilder("{\"version\": \"https://jsonfeed.org/version/1.1\"");
        json.Append($", \"title\": {J(random, maxLength)}, \"home_page_url\": {J(random, maxLength)}, \"description\": {J(random, maxLength)}, \"language\": {J(random, 20)}, \"items\": [");
        for (var i = 0; i < items; i++)
        {
            var length = i == 0 && largeLength > 0 ? largeLength : maxLength;
            json.Append(i == 0 ? "{" : ", {");
            json.Append($"\"id\": {J(random, maxLength)}, \"url\": \"https://hostile.example/{i}/\" , \"external_url\": {J(random, maxLength)}, \"title\": {J(random, length)}");
            json.Append($", \"content_html\": {J(random, length)}, \"content_text\": {J(random, length)}, \"summary\": {J(random, length)}");
            json.Append($", \"date_published\": {J(random, 40)}, \"date_modified\": {J(random, 40)}, \"language\": {J(random, 20)}");
            json.Append($", \"authors\": [{{\"name\": {J(random, maxLength)}, \"url\": {J(random, maxLength)}}}], \"tags\": [{J(random, maxLength)}, {J(random, maxLength)}]");
            json.Append($", \"attachments\": [{{\"url\": {J(random, maxLength)}, \"mime_type\": {J(random, 40)}, \"size_in_bytes\": {random.Next()}}}]");
            json.Append('}');
        }
        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>Random text as XML character data: markup characters escaped, everything else raw.</summary>
    private static string X(Random random, int maxLength) =>
        HostileText.Random(random, maxLength).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    /// <summary>Random text as a JSON string: control characters and every surrogate as \u escapes, so lone ones reach the reader.</summary>
    private static string J(Random random, int maxLength)
    {
        var text = HostileText.Random(random, maxLength);
        var json = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\') json.Append('\\').Append(c);
            else if (c < 0x20 || char.IsSurrogate(c)) json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else json.Append(c);
        }
        return json.Append('"').ToString();
    }
}

internal static class HostileText
{
    /// <summary>
    /// Text drawn from every class of UTF-16 code unit, of a length between 0 and <paramref name="maxLength"/>
    /// (short ones likelier), or of exactly <paramref name="maxLength"/> from 100,000 on.
    /// </summary>
    public static string Random(Random random, int maxLength)
    {
        var length = maxLength >= 100_000 ? maxLength : (int)Math.Pow(maxLength, random.NextDouble());
        var text = new StringBuilder(length + 2);
        while (text.Length < length)
        {
            switch (random.Next(7))
            {
                case 0: text.Append((char)random.Next(0x20, 0x7F)); break;
                case 1: text.Append((char)random.Next(0x00, 0x20)); break; // C0 controls, NUL included
                case 2: text.Append((char)random.Next(0x7F, 0xA0)); break; // DEL and C1 controls
                case 3: text.Append((char)random.Next(0xE000, 0x10000)); break; // private use, specials, U+FFFE/U+FFFF
                case 4: text.Append((char)random.Next(0xA0, 0xD800)); break;
                case 5: text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000))); break; // planes 1-16
                default: text.Append((char)random.Next(0xD800, 0xE000)); break; // a lone surrogate, high or low
            }
        }
        return text.ToString();
    }

    /// <summary>UTF-8, except that an unpaired surrogate is written as its 3-byte form (WTF-8), as a broken encoder would.</summary>
    public static byte[] Wtf8(string text)
    {
        var bytes = new List<byte>(text.Length * 2);
        for (var i = 0; i < text.Length; i++)
        {
            int code = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                code = char.ConvertToUtf32(text[i], text[++i]);
            }
            if (code < 0x80) bytes.Add((byte)code);
            else if (code < 0x800) bytes.AddRange([(byte)(0xC0 | code >> 6), (byte)(0x80 | code & 0x3F)]);
            else if (code < 0x10000) bytes.AddRange([(byte)(0xE0 | code >> 12), (byte)(0x80 | code >> 6 & 0x3F), (byte)(0x80 | code & 0x3F)]);
            else bytes.AddRange([(byte)(0xF0 | code >> 18), (byte)(0x80 | code >> 12 & 0x3F), (byte)(0x80 | code >> 6 & 0x3F), (byte)(0x80 | code & 0x3F)]);
        }
        return bytes.ToArray();
    }
}
