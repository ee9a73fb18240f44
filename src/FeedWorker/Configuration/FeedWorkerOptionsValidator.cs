using FeedWorker.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FeedWorker.Configuration;

/// <summary>
/// Checks every feed entry at start, naming the configuration path of each bad value, so the worker
/// never starts half-configured. A feed's own interval must lie within the scheduler's limits
/// (<c>FeedWorker:Scheduling:MinimumInterval</c> and <c>MaximumInterval</c>), the one set of limits
/// the planner also applies: it is then honoured as written, never clamped.
/// </summary>
internal sealed class FeedWorkerOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<FeedWorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedWorkerOptions options)
    {
        var failures = new List<string>();
        var scheduling = SchedulingOptions.From(configuration);
        var seen = new Dictionary<string, int>();
        for (var i = 0; i < options.Feeds.Count; i++)
        {
            var feed = options.Feeds[i];
            var path = $"{FeedWorkerOptions.SectionName}:Feeds:{i}";
            if (string.IsNullOrWhiteSpace(feed.Url))
            {
                failures.Add($"{path}:Url: is missing");
            }
            else if (FeedUrls.Resolve(feed.Url, environment.ContentRootPath) is not { } url)
            {
                failures.Add($"{path}:Url: '{feed.Url}' is not an absolute http(s) URL or file path");
            }
            else if (FeedUrls.Refusal(url) is { } refusal)
            {
                failures.Add($"{path}:Url: {refusal}");
            }
            else if (seen.TryGetValue(url, out var first))
            {
                failures.Add($"{path}:Url: '{feed.Url}' is already configured as {FeedWorkerOptions.SectionName}:Feeds:{first}");
            }
            else
            {
                seen[url] = i;
            }
            if (feed.Interval is { } interval)
            {
                if (!FeedIntervals.TryParse(interval, out var parsed))
                {
                    failures.Add($"{path}:Interval: '{interval}' is not an interval (use e.g. '00:30:00', '30m', '2h')");
                }
                else if (parsed < scheduling.MinimumInterval)
                {
                    failures.Add($"{path}:Interval: '{interval}' is shorter than {SchedulingOptions.Section}:MinimumInterval ({scheduling.MinimumInterval}); lengthen it or lower that limit");
                }
                else if (parsed > scheduling.MaximumInterval)
                {
                    failures.Add($"{path}:Interval: '{interval}' is longer than {SchedulingOptions.Section}:MaximumInterval ({scheduling.MaximumInterval}); shorten it or raise that limit");
                }
            }
            failures.AddRange(FeedControls.Validate(feed, path));
            if (feed.BaseUrl is { } baseUrl && !(Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var parsedBase) && parsedBase.Scheme is "http" or "https" && parsedBase.Host.Length > 0))
            {
                failures.Add($"{path}:BaseUrl: '{baseUrl}' is not an absolute http(s) URL");
            }
            for (var t = 0; t < feed.Tags.Count; t++)
            {
                if (string.IsNullOrWhiteSpace(feed.Tags[t]))
                {
                    failures.Add($"{path}:Tags:{t}: is empty");
                }
            }
        }
        failures.AddRange(FeedControls.GlobalRules(options).Errors);
        // the files are read here too, so a bad one stops `run` and `once` at start with its path and cause
        failures.AddRange(OpmlFeedList.Load(options.OpmlFiles, environment.ContentRootPath).Failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
