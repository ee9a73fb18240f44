using FeedWorker.Ingestion.Cleaning;
using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion;

/// <summary>Parses a fetched document and cleans every article: the part of the pipeline between bytes and records.</summary>
public sealed class FeedDocumentProcessor(FeedParser parser, HtmlCleaner cleaner)
{
    /// <summary>
    /// Parsing and cleaning are pure CPU: more of them at once than there are cores only adds garbage-collection
    /// stalls and lock convoys (AngleSharp's shared pools) while fetching and storing wait on I/O.
    /// </summary>
    private readonly SemaphoreSlim _cores = new(Environment.ProcessorCount);

    /// <summary><see cref="Process"/>, at most one document per core at a time across all callers.</summary>
    public Task<ParseResult> ProcessAsync(FeedDocument document, CancellationToken cancellationToken) =>
        OnCoreAsync(() => Process(document), cancellationToken);

    /// <summary>
    /// Parses and cleans every article, for output. Nothing compares these articles with stored ones, so they carry no
    /// <see cref="ParsedArticle.SourceFingerprint"/>: it costs a serialization and a SHA-256 of every item. The
    /// refresh step stores through <see cref="ParseAsync"/> and <see cref="CleanAsync"/>, which set it.
    /// </summary>
    public ParseResult Process(FeedDocument document)
    {
        var parsed = Parse(document, withSourceFingerprints: false);
        return parsed.Feed is null ? parsed : Clean(parsed, document, _ => true);
    }

    /// <summary>
    /// The first half of <see cref="Process"/>: every article's links final (credentials and trackers removed) and its
    /// <see cref="ParsedArticle.SourceFingerprint"/> set, its HTML as published. <see cref="CleanAsync"/> finishes it.
    /// </summary>
    public Task<ParseResult> ParseAsync(FeedDocument document, CancellationToken cancellationToken) =>
        OnCoreAsync(() => Parse(document, withSourceFingerprints: true), cancellationToken);

    /// <summary>
    /// The second half of <see cref="Process"/> for the articles <paramref name="needsCleaning"/> selects (the ones not
    /// stored as published); the others are left out of the result.
    /// </summary>
    public Task<ParseResult> CleanAsync(ParseResult parsed, FeedDocument document, Func<ParsedArticle, bool> needsCleaning, CancellationToken cancellationToken) =>
        OnCoreAsync(() => Clean(parsed, document, needsCleaning), cancellationToken);

    private async Task<ParseResult> OnCoreAsync(Func<ParseResult> work, CancellationToken cancellationToken)
    {
        await _cores.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            _cores.Release();
        }
    }

    private ParseResult Parse(FeedDocument document, bool withSourceFingerprints)
    {
        var result = parser.Parse(document);
        if (result.Feed is not { } feed)
        {
            return result;
        }
        var articles = feed.Articles.Select(published =>
        {
            var article = WithFinalLinks(published);
            return withSourceFingerprints
                ? article with { SourceFingerprint = ItemFingerprint.BeforeCleaning(article, BaseOf(article, document)) }
                : article;
        }).ToList();
        var link = TrackingParameterFilter.WithoutTracking(feed.Link is null ? null : UrlUserInfo.Strip(feed.Link));
        return result with { Feed = feed with { Link = link, Articles = articles } };
    }

    private ParseResult Clean(ParseResult parsed, FeedDocument document, Func<ParsedArticle, bool> needsCleaning)
    {
        var feed = parsed.Feed!;
        var warnings = parsed.Warnings.ToList();
        var cleaned = feed.Articles
            .Select((article, index) => (Article: article, Index: index))
            .Where(a => needsCleaning(a.Article))
            .Select(a => Clean(a.Article, a.Index, BaseOf(a.Article, document), warnings))
            .ToList();
        return parsed with { Feed = feed with { Articles = cleaned }, Warnings = warnings };
    }

    // a file's own file: URL is no base a reader can follow: relative links stay as written, and the feed is told
    private static Uri? BaseOf(ParsedArticle article, FeedDocument document) =>
        (article.BaseUrl ?? document.DocumentUrl) is var baseUrl && WebAddress.Is(baseUrl) ? baseUrl : null;

    /// <summary>
    /// The guid is an identifier, never rewritten; the link is what a reader opens, so trackers go. Credentials
    /// written into an item's links are never stored or printed.
    /// </summary>
    private static ParsedArticle WithFinalLinks(ParsedArticle article) => article with
    {
        Url = TrackingParameterFilter.WithoutTracking(article.Url) is { } url ? UrlUserInfo.Strip(url) : null,
        Enclosures = article.Enclosures.Select(e => e with { Url = UrlUserInfo.Strip(e.Url) }).ToList(),
    };

    private ParsedArticle Clean(ParsedArticle article, int index, Uri? baseUrl, List<string> warnings)
    {
        if (string.IsNullOrEmpty(article.ContentHtml))
        {
            return article;
        }
        var clean = cleaner.Clean(article.ContentHtml, baseUrl);
        if (clean.UnresolvedLinks > 0)
        {
            var label = string.IsNullOrWhiteSpace(article.Title) ? $"item {index + 1}" : $"item {index + 1} ('{article.Title}')";
            warnings.Add($"{label}: {clean.UnresolvedLinks} relative link(s) such as '{clean.FirstUnresolvedLink}' cannot be resolved: the feed has no web address "
                + "(no http(s) site link; set the feed's BaseUrl); kept as written");
        }
        return article with { ContentHtml = clean.Html, ContentText = clean.Text };
    }
}
