using System.Collections.Concurrent;
using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Parsing;
using Microsoft.Extensions.Logging;

namespace FeedWorker.Ingestion.FullContent;

/// <summary>
/// Full content for a feed that asks for it (FetchFullContent): which items get their article page, the page fetched and
/// its main content extracted (<see cref="FullContentExtractor"/>), cleaned like feed HTML (<see cref="HtmlCleaner"/>),
/// and stored in place of the feed's content (<see cref="PreparedItem.WithContent"/>).
/// </summary>
public sealed partial class ArticlePages(FullContentExtractor extractor, HtmlCleaner cleaner, ILogger<ArticlePages> logger)
{
    /// <summary>Article pages fetched at once per feed; the fetcher's per-host limit applies on top.</summary>
    private const int Concurrency = 4;

    /// <summary>
    /// The items, those that <paramref name="wanted"/> selects with their article page's content. A page that cannot be
    /// fetched, read or cleaned to text leaves the feed's content in place, and says why in the log.
    /// </summary>
    /// <param name="wanted">Items worth a page fetch: the ones storing would write (new or changed).</param>
    /// <param name="feedOptions">The feed's credentials and headers (<see cref="FullContentExtractor.ExtractAsync"/>).</param>
    public async Task<PreparedItems> AddAsync(
        string feedUrl, PreparedItems items, Func<PreparedItem, bool> wanted, FeedRequestOptions? feedOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(wanted);
        var targets = items.Items
            .Where(wanted)
            .Select(item => (item.ItemKey, Url: Uri.TryCreate(item.Article.Url, UriKind.Absolute, out var url) ? url : null))
            .Where(target => target.Url is { Scheme: "http" or "https" })
            .ToList();
        if (targets.Count == 0)
        {
            return items;
        }
        var pages = new ConcurrentDictionary<string, CleanedHtml>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            targets, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (target, ct) =>
            {
                var page = await extractor.ExtractAsync(target.Url!, feedOptions, ct).ConfigureAwait(false);
                if (page.Html is null)
                {
                    LogNoFullContent(feedUrl, target.Url, page.Error ?? "no readable content");
                    return;
                }
                var clean = cleaner.Clean(page.Html, page.FinalUrl);
                if (string.IsNullOrWhiteSpace(clean.Text))
                {
                    LogNoFullContent(feedUrl, target.Url, "no text left after cleaning");
                    return;
                }
                pages[target.ItemKey] = clean;
            }).ConfigureAwait(false);
        return WithPages(items, pages);
    }

    private static PreparedItems WithPages(PreparedItems items, IReadOnlyDictionary<string, CleanedHtml> pages)
    {
        var warnings = items.Warnings.ToList();
        var withPages = items.Items.Select(item =>
        {
            if (!pages.TryGetValue(item.ItemKey, out var page))
            {
                return item;
            }
            try
            {
                return item.WithContent(StorableText.Clean(page.Html), StorableText.Clean(page.Text));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                warnings.Add($"item {item.ItemKey}: its article page could not be prepared, the feed's content is stored: {e.GetType().Name}: {e.Message}");
                return item;
            }
        }).ToList();
        return new PreparedItems(withPages, warnings);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{FeedUrl}: no full content from {ArticleUrl}: {Error}")]
    private partial void LogNoFullContent(string feedUrl, Uri? articleUrl, string error);
}
