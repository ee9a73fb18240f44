using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FeedWorker.Configuration;

/// <summary>
/// The configured <c>BaseUrl</c> of a feed, looked up by the URL the store keeps. Read from configuration on
/// every fetch rather than stored: it only matters while the feed is parsed, and follows configuration reloads.
/// </summary>
public sealed class FeedBaseUrls(IOptionsMonitor<FeedWorkerOptions> options, IHostEnvironment environment)
{
    private FeedWorkerOptions? _lastValid;

    public Uri? For(string feedUrl) =>
        Current()?.Feeds
            .Where(f => !string.IsNullOrWhiteSpace(f.BaseUrl) && f.Url is not null && FeedUrls.Resolve(f.Url, environment.ContentRootPath) == feedUrl)
            .Select(f => Uri.TryCreate(f.BaseUrl!.Trim(), UriKind.Absolute, out var url) ? url : null)
            .FirstOrDefault();

    // an edit that breaks the configuration leaves the last valid settings in force, like the feed list
    private FeedWorkerOptions? Current()
    {
        try
        {
            return _lastValid = options.CurrentValue;
        }
        catch (OptionsValidationException)
        {
            return Volatile.Read(ref _lastValid);
        }
    }
}
