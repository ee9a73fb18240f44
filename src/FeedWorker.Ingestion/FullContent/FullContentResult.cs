namespace FeedWorker.Ingestion.FullContent;

/// <summary>The main content of an article page, or why there is none.</summary>
/// <param name="ArticleUrl">The link from the feed.</param>
/// <param name="FinalUrl">The page URL after redirects: the base for its relative links.</param>
/// <param name="Html">The extracted main content, NOT sanitized: clean it with HtmlCleaner like feed HTML.</param>
/// <param name="ErrorKind">Why the fetch failed; null when the page arrived (with or without readable content).</param>
public sealed record FullContentResult(
    Uri ArticleUrl,
    Uri FinalUrl,
    string? Html,
    string? Title,
    string? Error,
    FeedErrorKind? ErrorKind)
{
    public bool Succeeded => Html is not null;
}
