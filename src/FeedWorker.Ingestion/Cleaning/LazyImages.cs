using AngleSharp.Dom;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// Lazy-loading plugins put the real image in data-* attributes and a placeholder (or nothing) in src;
/// the sanitizer drops data-* attributes, so promote them first, as Miniflux does.
/// </summary>
internal static class LazyImages
{
    private static readonly string[] SrcAttributes = ["data-src", "data-lazy-src", "data-original", "data-orig-src", "data-url", "data-hi-res-src"];
    private static readonly string[] SrcsetAttributes = ["data-srcset", "data-lazy-srcset"];

    public static void Promote(IElement image)
    {
        foreach (var name in SrcAttributes)
        {
            if (AttributeValue.Of(image, name) is { } value && !string.IsNullOrWhiteSpace(value) && IsPlaceholder(AttributeValue.Of(image, "src")))
            {
                image.SetAttribute("src", value.Trim());
                break;
            }
        }
        foreach (var name in SrcsetAttributes)
        {
            if (AttributeValue.Of(image, name) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                image.SetAttribute("srcset", value.Trim());
                break;
            }
        }
    }

    /// <summary>No src, an inline data: stand-in, or a tiny "blank"/"placeholder" image.</summary>
    private static bool IsPlaceholder(string? src) =>
        string.IsNullOrWhiteSpace(src)
        || src.TrimStart().StartsWith("data:", StringComparison.OrdinalIgnoreCase)
        || src.Contains("placeholder", StringComparison.OrdinalIgnoreCase)
        || src.Contains("blank.gif", StringComparison.OrdinalIgnoreCase)
        || src.Contains("lazy", StringComparison.OrdinalIgnoreCase);
}
