using System.Security;
using System.Text;
using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Parsing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>The production stages, resolved from AddFeedIngestion with default settings.</summary>
public sealed class IngestionPipeline : IDisposable
{
    /// <summary>Hostile tests never wait longer than this: a hang becomes a failure instead of a stuck run.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);

    private readonly ServiceProvider _services;

    public IngestionPipeline(IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        _services = new ServiceCollection().AddLogging().AddFeedIngestion(configuration).BuildServiceProvider();
    }

    public FeedDocumentProcessor Processor => _services.GetRequiredService<FeedDocumentProcessor>();
    public FeedParser Parser => _services.GetRequiredService<FeedParser>();
    public HtmlCleaner Cleaner => _services.GetRequiredService<HtmlCleaner>();
    public FeedFetcher Fetcher => _services.GetRequiredService<FeedFetcher>();

    /// <summary>Parses and cleans on a worker thread, failing the test if that takes longer than <see cref="Deadline"/>.</summary>
    public Task<ParseResult> ProcessAsync(byte[] content, string contentType = "application/rss+xml", Uri? url = null) =>
        Bounded(() => Processor.Process(new FeedDocument(content, contentType, url ?? DocumentUrl)));

    public Task<ParseResult> ParseAsync(byte[] content, string contentType = "application/rss+xml") =>
        Bounded(() => Parser.Parse(new FeedDocument(content, contentType, DocumentUrl)));

    public static async Task<T> Bounded<T>(Func<T> work) => await Task.Run(work).WaitAsync(Deadline);

    /// <summary>A base URL nothing listens on (other loopback address, discard port): resources it names are never served.</summary>
    public static Uri DocumentUrl { get; } = new("http://127.0.0.2:9/feed.xml");

    public static string EscapeXml(string text) => SecurityElement.Escape(text);

    /// <summary>An RSS 2.0 document around raw item XML.</summary>
    public static byte[] Rss(string items, string prolog = "") => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + prolog
        + "<rss version=\"2.0\"><channel><title>Hostile</title><link>http://127.0.0.2:9/</link>" + items + "</channel></rss>");

    public static string Item(string guid, string descriptionXml) =>
        $"<item><guid isPermaLink=\"false\">{guid}</guid><title>{guid}</title><link>http://127.0.0.2:9/{guid}</link><description>{descriptionXml}</description></item>";

    public void Dispose() => _services.Dispose();
}
