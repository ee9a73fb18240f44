using AngleSharp.Dom;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// An attribute's value by a lower-case name, as <see cref="IElement.GetAttribute(string)"/> gives it. On an HTML
/// element that method lower-cases the name at every call, because HTML attribute names are case-insensitive; the
/// cleaner asks every element for a few fixed names that are lower-case already, so it skips that step.
/// </summary>
internal static class AttributeValue
{
    public static string? Of(IElement element, string lowerCaseName)
    {
        var attributes = element.Attributes;
        return attributes.Length == 0 ? null : attributes.GetNamedItem(lowerCaseName)?.Value;
    }
}
