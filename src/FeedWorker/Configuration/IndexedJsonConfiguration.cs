using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace FeedWorker.Configuration;

/// <summary>
/// A JSON settings file read like <see cref="JsonConfigurationSource"/>, whose provider finds a section's children
/// through an index instead of scanning every key of the file.
/// </summary>
/// <remarks>
/// The binder asks for a section's children several times per feed (the feed, its tags, headers and rules), and the
/// stock provider answers each time by scanning all keys: binding the feed list took time quadratic in its length,
/// in every command and on every reload (figures in the Configuration README).
/// </remarks>
internal sealed class IndexedJsonConfigurationSource : JsonConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new IndexedJsonConfigurationProvider(this);
    }
}

/// <summary>
/// Answers <see cref="GetChildKeys"/> exactly as <see cref="ConfigurationProvider"/> does (one segment per descendant
/// key, in the order of the keys, with the earlier keys added and the whole sorted by
/// <see cref="ConfigurationKeyComparer"/>), from an index of the current keys by parent path.
/// </summary>
internal sealed class IndexedJsonConfigurationProvider(JsonConfigurationSource source) : JsonConfigurationProvider(source)
{
    /// <summary>The keys indexed and their index, replaced whole, so a reader never sees half of a rebuild.</summary>
    private sealed record KeyIndex(IDictionary<string, string?> Keys, List<string> Roots, Dictionary<string, List<string>> ByParent);

    private KeyIndex? _index;

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var index = CurrentIndex();
        var own = parentPath is null ? index.Roots : index.ByParent.GetValueOrDefault(parentPath);
        var keys = new List<string>(own?.Count ?? 0);
        if (own is not null)
        {
            keys.AddRange(own);
        }
        keys.AddRange(earlierKeys);
        keys.Sort(ConfigurationKeyComparer.Instance);
        return keys;
    }

    /// <summary>A key set from code adds to the same dictionary: the index is rebuilt on the next read.</summary>
    public override void Set(string key, string? value)
    {
        base.Set(key, value);
        _index = null;
    }

    /// <summary>Loading (and reloading) replaces the dictionary, which the index then no longer matches.</summary>
    private KeyIndex CurrentIndex()
    {
        var index = _index;
        if (index is not null && ReferenceEquals(index.Keys, Data))
        {
            return index;
        }
        index = Build(Data);
        _index = index;
        return index;
    }

    private static KeyIndex Build(IDictionary<string, string?> data)
    {
        var roots = new List<string>(data.Count);
        var byParent = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in data.Keys)
        {
            roots.Add(Segment(key, 0));
            // each ':' ends a parent path of which this key is a descendant
            for (var colon = key.IndexOf(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal); colon >= 0;
                 colon = key.IndexOf(ConfigurationPath.KeyDelimiter, colon + 1, StringComparison.Ordinal))
            {
                var parent = key[..colon];
                if (!byParent.TryGetValue(parent, out var children))
                {
                    byParent[parent] = children = [];
                }
                children.Add(Segment(key, colon + 1));
            }
        }
        return new KeyIndex(data, roots, byParent);
    }

    private static string Segment(string key, int start)
    {
        var end = key.IndexOf(ConfigurationPath.KeyDelimiter, start, StringComparison.Ordinal);
        return end < 0 ? key[start..] : key[start..end];
    }
}
