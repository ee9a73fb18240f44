namespace FeedWorker.Ingestion.Cleaning;

/// <summary>Makes untrusted article HTML safe to show and derives its plain text.</summary>
public interface IHtmlCleaner
{
    /// <param name="html">HTML as published.</param>
    /// <param name="baseUrl">Base for relative href, src and srcset values.</param>
    CleanedHtml Clean(string html, Uri? baseUrl);
}

/// <param name="Html">Sanitized HTML with absolute URLs and without trackers or feed boilerplate.</param>
/// <param name="Text">Plain text: paragraphs separated by a blank line, whitespace normalized.</param>
public sealed record CleanedHtml(string Html, string Text);
