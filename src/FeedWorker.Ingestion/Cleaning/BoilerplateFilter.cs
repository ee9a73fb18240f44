using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>Finds what feed generators append to every article: share buttons, related posts, the "appeared first on" line.</summary>
internal static partial class BoilerplateFilter
{
    /// <summary>Class or id tokens of share/related blocks (WordPress Jetpack, AddToAny, Shareaholic, ShareThis, FeedBurner).</summary>
    private static readonly string[] BlockMarkers =
    [
        "sharedaddy", "sd-sharing", "sd-sharing-enabled", "sd-like", "sd-block", "jp-relatedposts", "jp-sharing-input-touch",
        "wp-block-jetpack-sharing-buttons", "addtoany_share_save_container", "addtoany_content", "a2a_kit",
        "shareaholic-canvas", "shareaholic-ui", "sharethis-inline-share-buttons", "share-this", "sharethis",
        "feedflare", "social-share", "share-buttons", "sharing-buttons", "wpcnt", "wp-block-jetpack-likes",
    ];

    public static bool IsShareBlock(IElement element)
    {
        if (element.Id is { Length: > 0 } id && BlockMarkers.Contains(id, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }
        foreach (var token in element.ClassList)
        {
            if (BlockMarkers.Contains(token, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>"The post &lt;a&gt;Title&lt;/a&gt; appeared first on &lt;a&gt;Site&lt;/a&gt;." (Yoast SEO and similar plugins).</summary>
    public static bool IsAppearedFirstOn(IElement element)
    {
        if (element.LocalName is not ("p" or "div") || element.QuerySelector("a") is null)
        {
            return false;
        }
        var text = element.TextContent;
        return text.Length < 1000 && AppearedFirstOn().IsMatch(text);
    }

    [GeneratedRegex(@"^\s*(?:The\s+post|This\s+(?:post|article|entry))\s+.+\s+(?:appeared\s+first\s+on|was\s+first\s+published\s+on)\s+.+$", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex AppearedFirstOn();
}
