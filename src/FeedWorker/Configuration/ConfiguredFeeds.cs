using FeedWorker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FeedWorker.Configuration;

/// <summary>The validated feed list as the store wants it: absolute URLs, parsed intervals.</summary>
internal sealed class ConfiguredFeeds(IOptionsMonitor<FeedWorkerOptions> options, IHostEnvironment environment)
{
    /// <summary>The feed list as configured now (it follows configuration reloads).</summary>
    public IReadOnlyList<FeedDefinition> All => options.CurrentValue.Feeds.Select(ToDefinition).ToList();

    private FeedDefinition ToDefinition(FeedOptions feed) => new(
        FeedUrls.Resolve(feed.Url!, environment.ContentRootPath)!,
        feed.Name,
        feed.Interval is { } text && FeedIntervals.TryParse(text, out var interval) ? interval : null,
        feed.FetchFullContent,
        feed.Tags.Select(t => t.Trim()).Distinct().ToList());

    /// <summary>A location typed on the command line: paths are relative to the current directory.</summary>
    public static string? ResolveCommandLine(string location) => FeedUrls.Resolve(location, Directory.GetCurrentDirectory());
}
