namespace FeedWorker.Ingestion.Fetching;

/// <summary>Turns what a user wrote (an http(s) URL, a file:// URL or a plain path) into an absolute URI.</summary>
public static class FeedLocation
{
    public static Uri Resolve(string location)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.IsFile))
        {
            return uri;
        }
        return new Uri(Path.GetFullPath(location));
    }
}
