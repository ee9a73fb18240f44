using AngleSharp.Dom;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// A walk over an element's descendants in document order that the visitor can keep out of a subtree. Cheaper than a
/// selector query, which matches every element against the selector, and not recursive, so deep nesting cannot
/// exhaust the stack.
/// </summary>
internal static class ElementWalk
{
    /// <param name="root">The element whose descendants are visited; not itself.</param>
    /// <param name="visit">Called for each element; returns whether to visit its descendants.</param>
    public static void Visit(IElement root, Func<IElement, bool> visit)
    {
        var pending = new Stack<IElement>();
        PushChildren(pending, root);
        while (pending.TryPop(out var element))
        {
            if (visit(element))
            {
                PushChildren(pending, element);
            }
        }
    }

    private static void PushChildren(Stack<IElement> pending, IElement parent)
    {
        var children = parent.ChildNodes;
        for (var i = children.Length - 1; i >= 0; i--)
        {
            if (children[i] is IElement child)
            {
                pending.Push(child);
            }
        }
    }
}
