using System.Text;
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
    private string? _head;

    public string Value => _value ??= element.TextContent;

    /// <summary>
    /// The text's length, counted without building it: every check reads only short texts, and the wrappers around
    /// a whole article, which fail that test, are the longest.
    /// </summary>
    public int Length => _length ??= _value?.Length ?? LengthOf(element);

    /// <summary>
    /// The first <see cref="HeadLength"/> characters of the text with every run of white space read as one space,
    /// built without the rest: most paragraphs fail a label check on their first words, and building their whole text
    /// for it was most of what the checks cost.
    /// </summary>
    public string Head => _head ??= HeadOf(element);

    /// <summary>Long enough for the longest label a check looks for ("more on this story:").</summary>
    public const int HeadLength = 32;

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

    private static string HeadOf(INode node)
    {
        var head = new StringBuilder(HeadLength);
        AppendHead(node, head);
        return head.ToString();
    }

    /// <returns>False once the head is full.</returns>
    private static bool AppendHead(INode node, StringBuilder head)
    {
        var children = node.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            switch (children[i])
            {
                case IText text:
                    foreach (var c in text.Data)
                    {
                        if (!char.IsWhiteSpace(c))
                        {
                            head.Append(c);
                        }
                        else if (head.Length == 0 || head[^1] != ' ')
                        {
                            head.Append(' ');
                        }
                        if (head.Length == HeadLength)
                        {
                            return false;
                        }
                    }
                    break;
                case IElement child when !AppendHead(child, head):
                    return false;
            }
        }
        return true;
    }
}
