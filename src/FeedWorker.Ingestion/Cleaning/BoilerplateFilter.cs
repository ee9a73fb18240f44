using System.Collections.Frozen;
using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>Finds what feed generators append to every article: share buttons, related posts, the "appeared first on" line.</summary>
internal static partial class BoilerplateFilter
{
    /// <summary>Class or id tokens of share/related blocks (WordPress Jetpack, AddToAny, Shareaholic, ShareThis, FeedBurner).</summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> BlockMarkers = NameSet.Of(
    [
        "sharedaddy", "sd-sharing", "sd-sharing-enabled", "sd-like", "sd-block", "jp-relatedposts", "jp-sharing-input-touch",
        "wp-block-jetpack-sharing-buttons", "addtoany_share_save_container", "addtoany_content", "a2a_kit",
        "shareaholic-canvas", "shareaholic-ui", "sharethis-inline-share-buttons", "share-this", "sharethis",
        "feedflare", "social-share", "share-buttons", "sharing-buttons", "wpcnt", "wp-block-jetpack-likes",
    ]);

    /// <summary>
    /// Class or id tokens of news-CMS furniture: ad slots (Google Publisher Tag, AdSense, Arc, WordPress ad plugins),
    /// newsletter sign-up blocks (Mailchimp embeds, CMS promos), share bars and related-link boxes. Whole tokens
    /// only: a class merely containing "ad" (e.g. "header", "lead") is not furniture.
    /// </summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> FurnitureMarkers = NameSet.Of(
    [
        "ad", "ads", "advert", "adverts", "advertisement", "ad-slot", "ad-container", "ad-wrapper", "ad-unit", "ad-placeholder",
        "adsbygoogle", "dfp-ad", "gpt-ad", "google-ad", "inline-ad", "article-ad", "ad-break", "advertisement-slot",
        "newsletter", "newsletter-signup", "newsletter-promo", "newsletter-form", "newsletter-widget", "nl-signup", "email-signup",
        "mc_embed_signup", "signup-promo", "subscribe-box",
        "share-bar", "sharebar", "share-tools", "article-share", "social-share-bar", "share-icons", "social-sharing",
        "related", "related-links", "related-articles", "related-stories", "related-posts", "related-content", "read-more-links",
    ]);

    public static bool IsShareBlock(IElement element) => HasMarker(element, BlockMarkers);

    /// <summary>Ad slots, newsletter sign-ups, share bars and related-link boxes that news CMSs put inside article bodies.</summary>
    /// <param name="text">The element's text, shared with the other checks of the same element.</param>
    public static bool IsPageFurniture(IElement element, ElementText text) =>
        HasMarker(element, FurnitureMarkers) || IsAdSlot(element) || IsAdvertisementLabel(element, text) || IsRelatedLinks(element, text);

    /// <summary>
    /// The id or one of the class tokens is a marker. The class attribute is split here rather than read through
    /// <see cref="IElement.ClassList"/>, which builds a token list for every element these checks visit.
    /// </summary>
    private static bool HasMarker(IElement element, FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> markers)
    {
        if (element.Id is { Length: > 0 } id && markers.Contains(id))
        {
            return true;
        }
        if (AttributeValue.Of(element, "class") is not { Length: > 0 } classes)
        {
            return false;
        }
        foreach (var range in classes.AsSpan().SplitAny(ClassSeparators))
        {
            if (markers.Contains(classes.AsSpan(range)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>ASCII white space, which separates class tokens in HTML.</summary>
    private const string ClassSeparators = " \t\n\f\r";

    /// <summary>data-ad, data-ad-slot, data-ad-unit, data-ad-client… mark an ad container whatever its class.</summary>
    private static bool IsAdSlot(IElement element)
    {
        var attributes = element.Attributes;
        for (var i = 0; i < attributes.Length; i++)
        {
            var name = attributes[i]!.Name;
            if (name.Equals("data-ad", StringComparison.OrdinalIgnoreCase) || name.StartsWith("data-ad-", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A block whose whole text is the "Advertisement" label; a sentence that mentions advertising is text.</summary>
    private static bool IsAdvertisementLabel(IElement element, ElementText text) =>
        element.LocalName is "p" or "div" or "span" or "aside" or "section" or "figure"
        && text.Length < 80 && IsAdvertisementText(text.Value);

    /// <summary>A block's whole text that is the "Advertisement" label (the block is then dropped).</summary>
    public static bool IsAdvertisementText(string text) => text.Length < 80 && AdvertisementLabel().IsMatch(text);

    /// <summary>"Related: &lt;a&gt;…&lt;/a&gt;" and "Read more: …": a label followed by nothing but links.</summary>
    private static bool IsRelatedLinks(IElement element, ElementText elementText)
    {
        if (element.LocalName is not ("p" or "div" or "ul" or "aside") || elementText.Length > 1000
            || !RelatedLabelStart().IsMatch(elementText.Head) || element.QuerySelector("a") is null)
        {
            return false;
        }
        var text = elementText.Value;
        var label = RelatedLabel().Match(text);
        if (!label.Success)
        {
            return false;
        }
        var linked = element.QuerySelectorAll("a").Sum(a => a.TextContent.Count(c => !char.IsWhiteSpace(c) && !char.IsPunctuation(c)));
        var all = text[label.Length..].Count(c => !char.IsWhiteSpace(c) && !char.IsPunctuation(c));
        return all - linked <= 2;
    }

    /// <summary>
    /// A "Related stories" heading, or a paragraph or bold label saying so, directly followed by a list or block of
    /// nothing but links (the usual news-CMS layout): returns that list, so the label and its links go together.
    /// A heading followed by prose, or a list with text besides its links, is the story's own and gives null.
    /// </summary>
    /// <param name="text">The label's text, shared with the other checks of the same element.</param>
    public static IElement? RelatedListAfterLabel(IElement label, ElementText text)
    {
        if (label.LocalName is not ("h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "p" or "strong" or "b")
            || text.Length > 80 || !RelatedHeading().IsMatch(text.Value)
            || label.QuerySelector("a") is not null) // a "Read more" link is the story's own continuation, not a label
        {
            return null;
        }
        return NextElementSibling(label) is { LocalName: "ul" or "ol" or "p" or "div" or "section" or "aside" or "nav" } list && IsOnlyLinks(list)
            ? list
            : null;
    }

    /// <summary>The next sibling element, unless text other than whitespace stands between (then the label is inline prose).</summary>
    private static IElement? NextElementSibling(IElement element)
    {
        for (var node = element.NextSibling; node is not null; node = node.NextSibling)
        {
            switch (node)
            {
                case IElement next:
                    return next;
                case IText text when !string.IsNullOrWhiteSpace(text.Data):
                    return null;
            }
        }
        return null;
    }

    /// <summary>Every letter and digit sits inside a link, and no picture or table stands outside one.</summary>
    private static bool IsOnlyLinks(IElement block)
    {
        var text = block.TextContent;
        if (text.Length > 2000 || block.QuerySelector("a") is null
            || block.QuerySelectorAll("img, picture, video, audio, figure, table").Any(e => e.Closest("a") is null))
        {
            return false;
        }
        var linked = block.QuerySelectorAll("a").Sum(a => a.TextContent.Count(char.IsLetterOrDigit));
        return text.Count(char.IsLetterOrDigit) == linked;
    }

    [GeneratedRegex(@"^\s*(?:advertisement|advertisements|advertising|ad|sponsored|story continues below(?: this)? advertisement|advertisement\s*[-–—:]\s*(?:continue|scroll) (?:reading|down)(?: below)?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AdvertisementLabel();

    /// <summary>The labels news CMSs put before related links, inline ("Related: …") or as a heading.</summary>
    private const string RelatedLabels = "related(?: stories| articles| coverage| content)?|read more|read also|see also|more on this(?: story)?|also read";

    [GeneratedRegex(@"^\s*(?:" + RelatedLabels + @")\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex RelatedLabel();

    /// <summary>What <see cref="RelatedLabel"/> needs of <see cref="ElementText.Head"/>, so other text is not built.</summary>
    [GeneratedRegex(@"^ ?(?:related|read more|read also|see also|more on this|also read)", RegexOptions.IgnoreCase)]
    private static partial Regex RelatedLabelStart();

    [GeneratedRegex(@"^\s*(?:" + RelatedLabels + @")\s*:?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RelatedHeading();

    /// <summary>"The post &lt;a&gt;Title&lt;/a&gt; appeared first on &lt;a&gt;Site&lt;/a&gt;." (Yoast SEO and similar plugins).</summary>
    /// <param name="elementText">The element's text, shared with the other checks of the same element.</param>
    public static bool IsAppearedFirstOn(IElement element, ElementText elementText) =>
        element.LocalName is "p" or "div" && elementText.Length < 1000 && AppearedFirstOnStart().IsMatch(elementText.Head)
        && element.QuerySelector("a") is not null && AppearedFirstOn().IsMatch(elementText.Value);

    /// <summary>What <see cref="AppearedFirstOn"/> needs of <see cref="ElementText.Head"/>, so other text is not built.</summary>
    [GeneratedRegex(@"^ ?(?:the post|this (?:post|article|entry)) ", RegexOptions.IgnoreCase)]
    private static partial Regex AppearedFirstOnStart();

    [GeneratedRegex(@"^\s*(?:The\s+post|This\s+(?:post|article|entry))\s+.+\s+(?:appeared\s+first\s+on|was\s+first\s+published\s+on)\s+.+$", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex AppearedFirstOn();
}
