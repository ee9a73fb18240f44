namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// Removes the user-info part (<c>user:password@</c>) of URLs before they are stored or logged: a
/// feed, a redirect or an item may carry credentials in its URLs, and they must not leak.
/// </summary>
public static class UrlUserInfo
{
    public static Uri Strip(Uri url)
    {
        if (!url.IsAbsoluteUri || url.UserInfo.Length == 0) return url;
        return new UriBuilder(url) { UserName = "", Password = "" }.Uri;
    }

    /// <summary>The text unchanged unless it is an absolute URL with user info.</summary>
    public static string Strip(string url) =>
        url.Contains('@') && Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.UserInfo.Length > 0
            ? Strip(parsed).AbsoluteUri
            : url;

    /// <summary>The unescaped user name and password of <paramref name="url"/>, when it has user info.</summary>
    public static (string User, string? Password)? Credentials(Uri url)
    {
        if (!url.IsAbsoluteUri || url.UserInfo.Length == 0) return null;
        var separator = url.UserInfo.IndexOf(':');
        return separator < 0
            ? (Uri.UnescapeDataString(url.UserInfo), null)
            : (Uri.UnescapeDataString(url.UserInfo[..separator]), Uri.UnescapeDataString(url.UserInfo[(separator + 1)..]));
    }
}
