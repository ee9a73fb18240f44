namespace FeedWorker.Ingestion.Parsing;

/// <summary>Whether a URL can serve as a base for the links a reader follows: only http(s) can.</summary>
internal static class WebAddress
{
    public static bool Is(Uri? url) => url is { IsAbsoluteUri: true, Scheme: "http" or "https" };
}
