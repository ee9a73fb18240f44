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
    private int? _length;

    public string Value => _value ??= element.TextContent;

    /// <summary>
    /// The text's length, counted without building it: every check reads only short texts, and the wrappers around
    /// a whole article, which fail that test, are the longest.
    /// </summary>
    public int Length => _length ??= _value?.Length ?? LengthOf(element);

    private static int LengthOf(INode node)
    {
        var length = 0;
        var children = node.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            length += children[i] switch
            {
                IText text => text.Data.Length,
                IElement child => LengthOf(child),
                _ => 0,
            };
        }
        return length;
    }
}
