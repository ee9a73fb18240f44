using System.Text;

namespace FeedWorker.Ingestion.Dedup;

/// <summary>
/// Layer 2: one form for the many spellings of an article's address, so the same article reached
/// through different feeds (or with different campaign tags) is recognized.
/// </summary>
/// <remarks>
/// Rules: only absolute http/https URLs (anything else gives null); scheme and host lower-case; an
/// internationalized host in its ASCII (punycode) form, the form on the wire, so the Unicode and
/// punycode spellings agree; userinfo kept; the scheme's default port dropped; the path as
/// <see cref="Uri"/> normalizes it (dot segments resolved, non-ASCII percent-encoded, case kept:
/// paths are case-sensitive); percent escapes in upper-case hex; the
/// fragment dropped; tracking parameters (<see cref="IsTrackingParameter"/>) and empty parameters
/// removed, the others kept verbatim and in their order (order can matter to the server); no "?"
/// when nothing is left. A trailing slash is kept: "/a" and "/a/" can be different resources.
/// </remarks>
public static class CanonicalUrl
{
    // Parameters that only identify a campaign, click or share, never the resource. Compared
    // case-insensitively; any parameter starting with "utm_" is tracking as well. "ref" alone is
    // left out on purpose: sites use it for real content (e.g. a git ref).
    private static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        // Ad click identifiers: Meta, Google (incl. iOS gbraid/wbraid, DoubleClick), Microsoft,
        // Yandex, Twitter/X, TikTok, LinkedIn, Instagram.
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "igsh", "srsltid",
        // Google Analytics cross-domain linker.
        "_ga", "_gl",
        // Mailchimp, Marketo, HubSpot, Vero, Openstat, Olytics, Adobe.
        "mc_cid", "mc_eid", "mkt_tok", "_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp",
        "hsctatracking", "vero_id", "vero_conv", "_openstat", "oly_anon_id", "oly_enc_id", "s_cid",
        // Twitter/X share sources.
        "ref_src", "ref_url",
    };

    public static string? From(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0)
            return null;

        var builder = new StringBuilder(url.Length);
        builder.Append(uri.Scheme).Append("://");
        if (uri.UserInfo.Length > 0)
            builder.Append(uri.UserInfo).Append('@');
        // Uri.Host keeps an IPv6 address's brackets; IdnHost is the punycode form of a DNS name.
        builder.Append(uri.HostNameType == UriHostNameType.Dns ? uri.IdnHost.ToLowerInvariant() : uri.Host);
        if (!uri.IsDefaultPort)
            builder.Append(':').Append(uri.Port);
        var pathStart = builder.Length;
        builder.Append(uri.AbsolutePath);
        AppendQuery(builder, uri.Query);
        UpperCasePercentEscapes(builder, pathStart);
        return builder.ToString();
    }

    /// <summary>Whether a query parameter name (as written, percent-encoded or not) is a tracking parameter.</summary>
    internal static bool IsTrackingParameter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var decoded = Uri.UnescapeDataString(name);
        return decoded.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || TrackingParameters.Contains(decoded);
    }

    private static void AppendQuery(StringBuilder builder, string query)
    {
        var separator = '?';
        var parameters = query.AsSpan().TrimStart('?');
        foreach (var range in parameters.Split('&'))
        {
            var parameter = parameters[range];
            if (parameter.IsEmpty)
                continue;
            var equals = parameter.IndexOf('=');
            var name = equals < 0 ? parameter : parameter[..equals];
            if (name.IsEmpty || IsTrackingParameter(name.ToString()))
                continue;
            builder.Append(separator).Append(parameter);
            separator = '&';
        }
    }

    /// <summary>"%2f" and "%2F" are the same octet (RFC 3986, 6.2.2.1); <see cref="Uri"/> keeps the case as written.</summary>
    private static void UpperCasePercentEscapes(StringBuilder builder, int start)
    {
        for (var i = start; i < builder.Length - 2; i++)
        {
            if (builder[i] != '%' || !char.IsAsciiHexDigit(builder[i + 1]) || !char.IsAsciiHexDigit(builder[i + 2]))
                continue;
            builder[i + 1] = char.ToUpperInvariant(builder[i + 1]);
            builder[i + 2] = char.ToUpperInvariant(builder[i + 2]);
            i += 2;
        }
    }
}
