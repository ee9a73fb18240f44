using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>Recognizes tracking pixels and images served by feed-statistics hosts.</summary>
internal static partial class TrackerFilter
{
    /// <summary>Host (itself or any subdomain) and an optional path prefix; images from these only count readers.</summary>
    private static readonly (string Host, string PathPrefix)[] TrackerSources =
    [
        ("feeds.feedburner.com", "/~r/"),
        ("feeds.feedburner.com", "/~ff/"),
        ("feedproxy.google.com", "/~r/"),
        ("feeds.feedblitz.com", ""),
        ("assets.feedblitz.com", "/i/"),
        ("pixel.wp.com", ""),
        ("stats.wordpress.com", ""),
        ("feedsportal.com", ""),
        ("pixel.quantserve.com", ""),
        ("google-analytics.com", ""),
        ("doubleclick.net", ""),
        ("pixel.facebook.com", ""),
        ("facebook.com", "/tr"),
        ("sb.scorecardresearch.com", ""),
        ("pixel.mathtag.com", ""),
        ("feeds.wordpress.com", "/1.0/"),
        ("rss.buysellads.com", ""),
        ("ads.pheedo.com", ""),
        ("api.feedpress.it", ""),
        ("feed.informer.com", ""),
    ];

    private static readonly SearchValues<string> TrackerHosts =
        SearchValues.Create(TrackerSources.Select(source => source.Host).Distinct().ToArray(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Printable ASCII except space and <c>%</c>: a URL made of these names its host as written.</summary>
    private static readonly SearchValues<char> LiteralUrlCharacters =
        SearchValues.Create("!\"#$&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static bool IsTrackerUrl(string? url, Uri? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(url) || CannotNameTracker(url.AsSpan().Trim(), baseUrl))
        {
            return false;
        }
        return IsResolvedTrackerUrl(url, baseUrl);
    }

    /// <summary>
    /// True when the URL cannot resolve to a tracker host, decided without building a <see cref="Uri"/> (most links
    /// in an article are checked, and parsing each was a twentieth of cleaning). A resolved host is the host written
    /// in the URL, lower-cased, or the base's host. URLs with percent escapes, non-ASCII or control characters are
    /// left to the resolver, so the shortcut need not repeat how it unescapes or maps them.
    /// </summary>
    internal static bool CannotNameTracker(ReadOnlySpan<char> url, Uri? baseUrl) =>
        !url.ContainsAnyExcept(LiteralUrlCharacters)
        && !url.ContainsAny(TrackerHosts)
        && (baseUrl is null || !baseUrl.IsAbsoluteUri || !baseUrl.Host.AsSpan().ContainsAny(TrackerHosts));

    /// <summary>The check itself: the URL resolved against the base, its host and path compared with each source.</summary>
    internal static bool IsResolvedTrackerUrl(string? url, Uri? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(url) || !TryResolve(url.Trim(), baseUrl, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }
        var urlHost = uri.Host;
        foreach (var (host, pathPrefix) in TrackerSources)
        {
            if (IsSameOrSubdomain(urlHost, host) && uri.AbsolutePath.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsSameOrSubdomain(string urlHost, string host) =>
        urlHost.EndsWith(host, StringComparison.OrdinalIgnoreCase)
        && (urlHost.Length == host.Length || urlHost[urlHost.Length - host.Length - 1] == '.');

    /// <summary>An image drawn at 1×1 or 0×0, by attributes or inline CSS: invisible, so only there to count.</summary>
    public static bool IsPixel(IElement image)
    {
        var width = Dimension(AttributeValue.Of(image, "width"));
        var height = Dimension(AttributeValue.Of(image, "height"));
        if (AttributeValue.Of(image, "style") is { } style)
        {
            foreach (Match declaration in CssSize().Matches(style))
            {
                var value = Dimension(declaration.Groups["value"].Value);
                if (declaration.Groups["name"].Value.Equals("width", StringComparison.OrdinalIgnoreCase)) width = value;
                else height = value;
            }
        }
        return width is <= 1 && height is <= 1 || width is 0 || height is 0;
    }

    private static double? Dimension(string? value)
    {
        if (value is null) return null;
        var trimmed = value.Trim();
        if (trimmed.EndsWith("px", StringComparison.OrdinalIgnoreCase)) trimmed = trimmed[..^2].TrimEnd();
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static bool TryResolve(string url, Uri? baseUrl, out Uri uri)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out uri!) && !uri.IsFile) return true;
        if (url.StartsWith("//", StringComparison.Ordinal)) return Uri.TryCreate("https:" + url, UriKind.Absolute, out uri!);
        return baseUrl is not null && Uri.TryCreate(baseUrl, url, out uri!);
    }

    [GeneratedRegex(@"(?:^|;)\s*(?<name>width|height)\s*:\s*(?<value>[0-9.]+(?:px)?)\s*(?:!\s*important\s*)?(?=;|$)", RegexOptions.IgnoreCase)]
    private static partial Regex CssSize();
}
