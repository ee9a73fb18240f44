using Ganss.Xss;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>First cut: HtmlSanitizer defaults. Feed-specific cleaning replaces this.</summary>
public sealed class HtmlCleaner : IHtmlCleaner
{
    private readonly HtmlSanitizer _sanitizer = new();

    public CleanedHtml Clean(string html, Uri? baseUrl)
    {
        var clean = _sanitizer.Sanitize(html, baseUrl?.AbsoluteUri ?? "");
        var text = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(clean).Body?.TextContent ?? "";
        return new CleanedHtml(clean, text.Trim());
    }
}
