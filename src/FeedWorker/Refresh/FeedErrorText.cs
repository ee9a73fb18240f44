namespace FeedWorker.Refresh;

/// <summary>
/// A fetch error names the URL it failed on (<c>https://x/feed: HTTP 404 …</c>) so that it reads alone
/// in <c>feeds.last_error</c>; where the feed is already named beside it (a log line, a table row), that
/// leading URL is left out so it does not appear twice. A redirected fetch keeps its URL: it differs.
/// </summary>
internal static class FeedErrorText
{
    public static string WithoutFeedUrl(string error, string feedUrl) =>
        error.StartsWith(feedUrl + ": ", StringComparison.Ordinal) ? error[(feedUrl.Length + 2)..] : error;
}
