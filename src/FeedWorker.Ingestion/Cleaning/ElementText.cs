using AngleSharp.Dom;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// An element's <see cref="INode.TextContent"/>, built on first use and then shared by the boilerplate checks of that
/// element: each build walks the whole subtree through AngleSharp's shared (locked) StringBuilder pool, and a
/// paragraph used to be read up to four times. Hold one only while the subtree is not changed.
/// </summary>
internal sealed class ElementText(IElement element)
{
    private string? _value;

    public string Value => _value ??= element.TextContent;
}
