namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// A stack of open elements that finds the innermost one of a name in O(1), through a chain linking each to the
/// previous one of the same name: end tags close "the innermost open element of that name", and searching the
/// stack for it would make deeply nested markup quadratic.
/// </summary>
internal sealed class NamedStack<T>
{
    private readonly List<(string Name, T Item, int PreviousSameName)> _items = [];
    private readonly Dictionary<string, int> _innermost = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public T this[int index] => _items[index].Item;

    public void Push(string name, T item)
    {
        _items.Add((name, item, _innermost.GetValueOrDefault(name, -1)));
        _innermost[name] = _items.Count - 1;
    }

    public T Pop()
    {
        var (name, item, previous) = _items[^1];
        _items.RemoveAt(_items.Count - 1);
        if (previous >= 0)
        {
            _innermost[name] = previous;
        }
        else
        {
            _innermost.Remove(name);
        }
        return item;
    }

    /// <summary>The index of the innermost open element of that name.</summary>
    public bool TryFind(string name, out int index) => _innermost.TryGetValue(name, out index);
}
