namespace FeedWorker.Ingestion.Cleaning;

/// <summary>What <see cref="HtmlCleaner.Clean"/> makes of an article's HTML.</summary>
/// <param name="Html">Sanitized HTML with absolute URLs and without trackers or feed boilerplate.</param>
/// <param name="Text">Plain text: paragraphs separated by a blank line, whitespace normalized.</param>
public sealed record CleanedHtml(string Html, string Text)
{
    /// <summary>Relative link and image addresses left as written because there was no base to resolve them against.</summary>
    public int UnresolvedLinks { get; init; }

    /// <summary>The first of <see cref="UnresolvedLinks"/>, to name in a warning.</summary>
    public string? FirstUnresolvedLink { get; init; }
}
