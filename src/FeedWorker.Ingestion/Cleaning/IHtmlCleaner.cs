namespace FeedWorker.Ingestion.Cleaning;

/// <summary>Makes untrusted article HTML safe to show and derives its plain text.</summary>
public interface IHtmlCleaner
{
    /// <param name="html">HTML as published.</param>
    /// <param name="baseUrl">
    /// Base for relative href, src and srcset values; when null, relative values are kept as written and
    /// counted in <see cref="CleanedHtml.UnresolvedLinks"/>.
    /// </param>
    CleanedHtml Clean(string html, Uri? baseUrl);

    /// <summary>
    /// Plain text of an HTML fragment (a summary or title written as HTML), with the same rules as
    /// <see cref="CleanedHtml.Text"/>: no text from scripts, embedded objects, share blocks or form controls.
    /// </summary>
    string ToText(string html);
}

/// <param name="Html">Sanitized HTML with absolute URLs and without trackers or feed boilerplate.</param>
/// <param name="Text">Plain text: paragraphs separated by a blank line, whitespace normalized.</param>
public sealed record CleanedHtml(string Html, string Text)
{
    /// <summary>Relative link and image addresses left as written because there was no base to resolve them against.</summary>
    public int UnresolvedLinks { get; init; }

    /// <summary>The first of <see cref="UnresolvedLinks"/>, to name in a warning.</summary>
    public string? FirstUnresolvedLink { get; init; }
}
