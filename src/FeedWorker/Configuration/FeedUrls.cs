using System.Text;
using FeedWorker.Ingestion.Dedup;

namespace FeedWorker.Configuration;

/// <summary>Turns a configured feed location into the absolute URL stored in <c>feeds.url</c>.</summary>
internal static class FeedUrls
{
    /// <summary>Why <paramref name="url"/> (as <see cref="Resolve"/> returned it) cannot be a feed's URL; null when it can.</summary>
    public static string? Refusal(string url) => Encoding.UTF8.GetByteCount(url) is var bytes and > IndexedUrl.MaxBytes
        ? $"'{url[..(char.IsHighSurrogate(url[59]) ? 59 : 60)]}…' is {bytes} bytes long; a feed URL may have at most {IndexedUrl.MaxBytes}"
        : null;

    /// <summary>The absolute URL, or null when <paramref name="location"/> is neither an http(s) URL nor a file path.</summary>
    public static string? Resolve(string location, string baseDirectory)
    {
        location = location.Trim();
        if (location.Length == 0)
        {
            return null;
        }
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri))
        {
            return uri.Scheme switch
            {
                // credentials in the URL become the feed's basic auth (FeedControls); they are never stored
                "http" or "https" when uri.Host.Length > 0 => Ingestion.Fetching.UrlUserInfo.Strip(uri).AbsoluteUri,
                "file" => uri.AbsoluteUri,
                _ => null,
            };
        }
        // not a URL: a file path, but never something that looks like a mistyped URL ("htp:/x", "http:/x")
        if (location.Contains(':') || location.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            return null;
        }
        return new Uri(Path.GetFullPath(location, baseDirectory)).AbsoluteUri;
    }
}
