using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>An HTML page given instead of a feed: name the feeds it advertises so the user can subscribe to one.</summary>
internal static partial class HtmlFeedDiscovery
{
    private static readonly string[] FeedTypes = ["application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"];

    public static bool IsHtmlPage(ReadOnlySpan<char> text) => HtmlStart().IsMatch(text);

    public static string Describe(string html, Uri documentUrl)
    {
        // disposed after the links are read: that returns the parser's pooled buffer (see ParsedHtml)
        using var page = new HtmlParser().ParseDocument(HtmlNesting.Flatten(html, out _));
        var baseUrl = documentUrl;
        if (page.QuerySelector("base[href]")?.GetAttribute("href") is { } baseHref && Uri.TryCreate(documentUrl, baseHref.Trim(), out var declared))
        {
            baseUrl = declared;
        }
        var feeds = page.QuerySelectorAll("link[href]")
            .Where(l => (l.GetAttribute("rel") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(r => r.Equals("alternate", StringComparison.OrdinalIgnoreCase))
                && FeedTypes.Contains((l.GetAttribute("type") ?? "").Trim().ToLowerInvariant()))
            .Select(l => Uri.TryCreate(baseUrl, l.GetAttribute("href")!.Trim(), out var u) ? u.AbsoluteUri : null)
            .OfType<string>()
            .Distinct()
            .ToList();
        return feeds.Count == 0
            ? "the document is an HTML page, not a feed, and it links to no feed"
            : $"the document is an HTML page, not a feed; it links to these feeds: {string.Join(", ", feeds)}";
    }

    [GeneratedRegex(@"^\s*(?:<!--.*?-->\s*|<\?[^>]*>\s*)*<(?:!DOCTYPE\s+html|html[\s>]|head[\s>]|body[\s>])", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlStart();
}
