using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace FeedWorker.Configuration;

/// <summary>
/// Makes an edit of a configured OPML file count as a change of <see cref="FeedWorkerOptions"/>, so
/// everything that follows <see cref="IOptionsMonitor{TOptions}"/> (the feed list synchronizer) resyncs.
/// </summary>
internal sealed class OpmlChangeTokenSource(IConfiguration configuration, IHostEnvironment environment)
    : IOptionsChangeTokenSource<FeedWorkerOptions>, IDisposable
{
    private readonly Dictionary<string, PhysicalFileProvider> _watchers = new(StringComparer.Ordinal);

    public string? Name => Options.DefaultName;

    public IChangeToken GetChangeToken()
    {
        var files = configuration.GetSection(OpmlFeedList.Key).Get<string[]>() ?? [];
        // a reload may name other files: firing then makes the monitor ask for a token over the new list
        var tokens = new List<IChangeToken> { configuration.GetReloadToken() };
        tokens.AddRange(files.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => Watch(Path.GetFullPath(f.Trim(), environment.ContentRootPath))));
        return new CompositeChangeToken(tokens);
    }

    private IChangeToken Watch(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            return NullChangeToken.Singleton;
        }
        PhysicalFileProvider watcher;
        lock (_watchers)
        {
            if (!_watchers.TryGetValue(directory, out watcher!))
            {
                // ExclusionFilters.None: a list kept as a dot-file is watched too
                _watchers[directory] = watcher = new PhysicalFileProvider(directory, ExclusionFilters.None);
            }
        }
        return watcher.Watch(Path.GetFileName(path));
    }

    public void Dispose()
    {
        lock (_watchers)
        {
            foreach (var watcher in _watchers.Values) watcher.Dispose();
            _watchers.Clear();
        }
    }
}
