using System.Globalization;
using System.Security;
using System.Text;

namespace FeedWorker.IntegrationTests.Storage;

/// <summary>One generated item of a test feed.</summary>
public sealed record FeedItem(string Guid, string Link, string Title, string Body, string? Author = null, DateTimeOffset? Published = null);

/// <summary>Writes realistic RSS 2.0 files into a temp folder and makes article bodies long enough for every dedup layer.</summary>
public sealed class FeedFiles : IDisposable
{
    private static readonly string[] Words =
    [
        "council", "budget", "school", "river", "bridge", "election", "harvest", "winter", "market", "police", "mayor", "storm",
        "hospital", "teacher", "railway", "museum", "festival", "factory", "court", "harbour", "library", "farmer", "village", "tax",
        "airport", "energy", "water", "forest", "strike", "union", "housing", "traffic", "science", "vaccine", "theatre", "ferry",
    ];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("feedworker-feeds-").FullName;

    /// <summary>A text of <paramref name="words"/> words, different for every seed (the same on every run).</summary>
    public static string Body(int seed, int words = 80)
    {
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)])) + ".";
    }

    public static List<FeedItem> Items(string prefix, int count, int firstSeed = 0) =>
        Enumerable.Range(0, count)
            .Select(i => new FeedItem($"{prefix}-{i}", $"https://news.example/{prefix}/story-{i}", $"Story {prefix} {i}", Body(firstSeed + i),
                "Jane Doe", new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero).AddHours(i)))
            .ToList();

    public string Write(string name, IEnumerable<FeedItem> items)
    {
        var path = Path.Combine(Directory, name + ".xml");
        File.WriteAllText(path, Rss(name, items));
        return path;
    }

    /// <summary>An RSS 2.0 document with these items.</summary>
    public static string Rss(string name, IEnumerable<FeedItem> items)
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>");
        xml.Append(CultureInfo.InvariantCulture, $"<title>{name}</title><link>https://{name}.example/</link><description>Test feed {name}</description>");
        foreach (var item in items)
        {
            xml.Append("<item>");
            xml.Append(CultureInfo.InvariantCulture, $"<guid isPermaLink=\"false\">{SecurityElement.Escape(item.Guid)}</guid>");
            xml.Append(CultureInfo.InvariantCulture, $"<title>{SecurityElement.Escape(item.Title)}</title><link>{SecurityElement.Escape(item.Link)}</link>");
            if (item.Author is { } author) xml.Append(CultureInfo.InvariantCulture, $"<author>{SecurityElement.Escape(author)}</author>");
            if (item.Published is { } published) xml.Append(CultureInfo.InvariantCulture, $"<pubDate>{published.ToString("r", CultureInfo.InvariantCulture)}</pubDate>");
            xml.Append(CultureInfo.InvariantCulture, $"<description><![CDATA[<p>{SecurityElement.Escape(item.Body)}</p>]]></description>");
            xml.Append("</item>");
        }
        xml.Append("</channel></rss>");
        return xml.ToString();
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
