using System.Globalization;
using System.Security;
using System.Text;
using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Storage;

namespace FeedWorker.IntegrationTests.Controls;

/// <summary>Keep and block rules, global and per feed, through <c>once</c> on the real PostgreSQL.</summary>
public sealed class RulesTests(StorageHost host) : IClassFixture<StorageHost>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("feedworker-rules-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed record Item(string Title, string Category, DateTimeOffset Published);

    private static readonly DateTimeOffset Recent = DateTimeOffset.UtcNow.AddDays(-1);

    /// <summary>
    /// A title of 100,000 'a's and a '!': <c>^(a+)+$</c> on it takes exponential time with a backtracking
    /// engine; here the fetch must simply complete.
    /// </summary>
    private static readonly string Catastrophic = new string('a', 100_000) + "!";

    private string Write(string name, IEnumerable<Item> items)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>https://rules.example/</link>");
        var n = 0;
        foreach (var item in items)
        {
            n++;
            xml.Append(CultureInfo.InvariantCulture,
                $"<item><guid>{name}-{n}</guid><title>{SecurityElement.Escape(item.Title)}</title><link>https://rules.example/{name}/{n}</link>"
                + $"<category>{item.Category}</category><pubDate>{item.Published.ToString("r", CultureInfo.InvariantCulture)}</pubDate>"
                + $"<description>{name} story number {n} about {SecurityElement.Escape(item.Title[..Math.Min(40, item.Title.Length)])} in the {item.Category} pages, written for feed {name}.</description></item>");
        }
        var path = Path.Combine(_folder, name + ".xml");
        File.WriteAllText(path, xml.Append("</channel></rss>").ToString());
        return path;
    }

    private static List<Item> Items() =>
    [
        new("Sponsored: a deal for you", "ads", Recent),
        new("Linux kernel released", "tech", Recent),
        new("Old news from the archive", "tech", new DateTimeOffset(2005, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        new(Catastrophic, "misc", Recent),
        new("Cooking with winter vegetables", "food", Recent),
    ];

    [Fact]
    public async Task Rules_filter_exactly_what_they_say_and_a_catastrophic_pattern_cannot_stall_the_fetch()
    {
        var database = await ControlledDatabase.CreateAsync(host, "rules");
        var environment = FeedWorkerProcess.Environment(database, [Write("a", Items()), Write("b", Items())]);
        environment["FeedWorker__Rules__Block__0__Field"] = "Title";
        environment["FeedWorker__Rules__Block__0__Pattern"] = "(?i)^sponsored";
        environment["FeedWorker__Feeds__0__BlockRules__0__Field"] = "Published";
        environment["FeedWorker__Feeds__0__BlockRules__0__Before"] = "2010-01-01T00:00:00Z";
        environment["FeedWorker__Feeds__0__BlockRules__1__Field"] = "Title";
        environment["FeedWorker__Feeds__0__BlockRules__1__Pattern"] = "^(a+)+$";
        environment["FeedWorker__Feeds__1__KeepRules__0__Field"] = "Categories";
        environment["FeedWorker__Feeds__1__KeepRules__0__Pattern"] = "^tech$";

        var run = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(run.ExitCode == 0, run.ToString());
        // a: sponsored (global) and the 2005 item (its date rule) are out; b: only its tech items, 2005 too
        // New, Updated, Unchanged, Duplicates, Near, then Filtered
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(run.Stdout, @"TOTAL \(2 feeds\)\s+ok\s+5\s+0\s+0\s+0\s+0\s+5\b"), run.ToString());
        var stored = await ControlledDatabase.StringsAsync(database,
            "SELECT f.url || ' ' || left(a.title, 30) FROM feed_articles fa JOIN feeds f ON f.id = fa.feed_id JOIN articles a ON a.id = fa.article_id ORDER BY 1");
        var a = new Uri(Path.Combine(_folder, "a.xml")).AbsoluteUri;
        var b = new Uri(Path.Combine(_folder, "b.xml")).AbsoluteUri;
        Assert.Equal(
            new[]
            {
                $"{a} {new string('a', 30)}", $"{a} Cooking with winter vegetables", $"{a} Linux kernel released",
                $"{b} Linux kernel released", $"{b} Old news from the archive",
            }
                .Order(StringComparer.Ordinal),
            stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bad_pattern_stops_the_start_with_its_configuration_path()
    {
        var database = await ControlledDatabase.CreateAsync(host, "badrule");
        var environment = FeedWorkerProcess.Environment(database, [Write("c", Items())]);
        environment["FeedWorker__Feeds__0__BlockRules__0__Field"] = "Title";
        environment["FeedWorker__Feeds__0__BlockRules__0__Pattern"] = "(a)\\1"; // a backreference: needs backtracking
        environment["FeedWorker__Rules__Keep__0__Field"] = "Colour";
        environment["FeedWorker__Rules__Keep__0__Pattern"] = "x";

        var run = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FeedWorker:Feeds:0:BlockRules:0:Pattern", run.Stderr);
        Assert.Contains("FeedWorker:Rules:Keep:0:Field: 'Colour'", run.Stderr);
    }
}
