using System.Text;
using FeedWorker.Benchmarks.Feeds;
using FeedWorker.Ingestion;
using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Parsing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedWorker.Benchmarks;

/// <summary>
/// The documents the benchmarks run on: the seed fixtures and generated WordPress feeds (50 items,
/// 3–6 KB of HTML each). The stages come from the same registration the worker uses, so a replaced
/// parser or cleaner is measured without touching the benchmarks.
/// </summary>
internal static class BenchmarkInputs
{
    public const string SeedRss = "seed-rss";
    public const string SeedAtom = "seed-atom";
    public const string WordPressRss = "wordpress-rss-50";
    public const string WordPressAtom = "wordpress-atom-50";
    public const string ExcerptsRss = "excerpts-rss-50";

    private static readonly Lazy<ServiceProvider> Services = new(() =>
        new ServiceCollection().AddFeedIngestion(new ConfigurationBuilder().Build()).BuildServiceProvider());

    private static readonly FeedCorpus Corpus = new(new CorpusOptions { Feeds = 40, ItemsPerFeed = 50 });

    public static FeedParser Parser => Services.Value.GetRequiredService<FeedParser>();

    public static HtmlCleaner Cleaner => Services.Value.GetRequiredService<HtmlCleaner>();

    public static FeedDocumentProcessor Processor => Services.Value.GetRequiredService<FeedDocumentProcessor>();

    public static FeedDocument Feed(string name) => name switch
    {
        SeedRss => Seed("antiwar-wordpress.rss.xml", "https://news.antiwar.com/feed/"),
        SeedAtom => Seed("antiwar.atom.xml", "https://news.antiwar.com/feed/atom/"),
        WordPressRss => Generated(FeedSyntax.Rss),
        WordPressAtom => Generated(FeedSyntax.Atom),
        ExcerptsRss => WithParagraphExcerpts(Generated(FeedSyntax.Rss)),
        _ => throw new ArgumentException($"unknown input {name}", nameof(name)),
    };

    public static string SeedArticlePage() => File.ReadAllText(SeedPath("antiwar-article-page.html"));

    /// <summary>The first generated feed of <paramref name="format"/> (the corpus is fixed, so always the same one).</summary>
    public static FeedDocument Generated(FeedSyntax format)
    {
        var feed = Enumerable.Range(0, Corpus.Options.Feeds).First(f => Corpus.FormatOf(f) == format);
        var xml = Encoding.UTF8.GetBytes(Corpus.Render(feed, revision: 0));
        return new FeedDocument(xml, format == FeedSyntax.Atom ? "application/atom+xml" : "application/rss+xml",
            new Uri($"https://{FeedCorpus.SiteOf(feed)}/feed/"));
    }

    /// <summary>
    /// The generated RSS feed with every item's summary written as WordPress writes an excerpt: one paragraph ending in
    /// "[&amp;#8230;]".
    /// </summary>
    private static FeedDocument WithParagraphExcerpts(FeedDocument rss)
    {
        var original = Encoding.UTF8.GetString(rss.Content.Span);
        var xml = System.Text.RegularExpressions.Regex.Replace(original,
            @"<description><!\[CDATA\[(.*?)\]\]></description>", "<description><![CDATA[<p>$1 [&#8230;]</p>]]></description>");
        return xml == original
            ? throw new InvalidOperationException("the generated feed has no CDATA descriptions to write as excerpts")
            : rss with { Content = Encoding.UTF8.GetBytes(xml) };
    }

    /// <summary>An item of the generated RSS feed whose HTML is closest to the median size: the typical item.</summary>
    public static FeedItem TypicalItem()
    {
        var feed = Enumerable.Range(0, Corpus.Options.Feeds).First(f => Corpus.FormatOf(f) == FeedSyntax.Rss);
        var items = Corpus.Items(feed, revision: 0).OrderBy(i => i.Story.Html.Length).ToList();
        return items[items.Count / 2];
    }

    /// <summary>
    /// A JSON Feed of one item whose content_text has <paramref name="length"/> characters, every third one written
    /// as an escape (<c>\"</c>, <c>\n</c> or <c>\u0001</c>), the rest ASCII letters. Fixed seed: always the same bytes.
    /// </summary>
    public static FeedDocument EscapeHeavyJsonFeed(int length)
    {
        var random = new Random(length);
        var json = new StringBuilder("{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"Escapes\", \"items\": [{\"id\": \"1\", \"content_text\": \"");
        string[] escapes = ["\\\"", "\\n", "\\u0001"];
        for (var i = 0; i < length; i++)
        {
            if (i % 3 == 0) json.Append(escapes[random.Next(escapes.Length)]);
            else json.Append((char)random.Next('a', 'z' + 1));
        }
        json.Append("\"}]}");
        return new FeedDocument(Encoding.UTF8.GetBytes(json.ToString()), "application/feed+json", new Uri("https://escapes.example/feed.json"));
    }

    private static FeedDocument Seed(string file, string url) =>
        new(File.ReadAllBytes(SeedPath(file)), "application/xml", new Uri(url));

    private static string SeedPath(string file) => Path.Combine(AppContext.BaseDirectory, "seeds", file);
}
