using FeedWorker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FeedWorker.Configuration;

/// <summary>The validated feed list as the store wants it: absolute URLs, parsed intervals.</summary>
internal sealed class ConfiguredFeeds(IOptionsMonitor<FeedWorkerOptions> options, IHostEnvironment environment)
{
    /// <summary>The feed list as configured now (it follows configuration reloads and OPML file edits).</summary>
    /// <exception cref="OptionsValidationException">An OPML file cannot be read: the caller keeps its previous list.</exception>
    public IReadOnlyList<FeedDefinition> All
    {
        get
        {
            var current = options.CurrentValue;
            var (opml, failures) = OpmlFeedList.Load(current.OpmlFiles, environment.ContentRootPath);
            if (failures.Count > 0)
            {
                throw new OptionsValidationException(Options.DefaultName, typeof(FeedWorkerOptions), failures);
            }
            // the store keeps the first entry of a URL: FeedWorker:Feeds wins over an OPML file
            return current.Feeds.Select(ToDefinition).Concat(opml).ToList();
        }
    }

    private FeedDefinition ToDefinition(FeedOptions feed) => new(
        FeedUrls.Resolve(feed.Url!, environment.ContentRootPath)!,
        feed.Name,
        feed.Interval is { } text && FeedIntervals.TryParse(text, out var interval) ? interval : null,
        feed.FetchFullContent,
        feed.Tags.Select(t => t.Trim()).Distinct().ToList(),
        Language: string.IsNullOrWhiteSpace(feed.Language) ? null : feed.Language.Trim());

    /// <summary>A location typed on the command line: paths are relative to the current directory.</summary>
    public static string? ResolveCommandLine(string location) => FeedUrls.Resolve(location, Directory.GetCurrentDirectory());
}
