using FeedWorker.Ingestion.Dedup;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// Takes campaign and click-tracking parameters (<see cref="CanonicalUrl.IsTrackingParameter"/>, the same list the
/// canonical URL uses) out of a stored link. Unlike the canonical form, the link otherwise stays exactly as written:
/// other parameters in their order, the fragment, the case and escapes; no "?" is left when nothing remains.
/// </summary>
internal static class TrackingParameterFilter
{
    public static string? WithoutTracking(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            return url;
        }
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var beforeFragment = hash < 0 ? url : url[..hash];
        var question = beforeFragment.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return url;
        }
        var parameters = beforeFragment[(question + 1)..].Split('&');
        var kept = parameters.Where(p => !CanonicalUrl.IsTrackingParameter(p.Split('=', 2)[0])).ToList();
        if (kept.Count == parameters.Length)
        {
            return url;
        }
        var query = string.Join('&', kept.Where(p => p.Length > 0));
        return beforeFragment[..question] + (query.Length > 0 ? "?" + query : "") + (hash < 0 ? "" : url[hash..]);
    }
}
