using Microsoft.Extensions.Configuration;
using System.ComponentModel.DataAnnotations;

namespace FeedWorker.Scheduling;

/// <summary>Configuration section <c>FeedWorker:Scheduling</c>.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "FeedWorker:Scheduling";

    /// <summary>The section as configured, with defaults where it says nothing.</summary>
    public static SchedulingOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<SchedulingOptions>() ?? new SchedulingOptions();

    /// <summary>Interval for feeds that set none. Default 15 minutes.</summary>
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>No feed is fetched more often than this, whatever it asks. Default 1 minute.</summary>
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>No healthy feed waits longer than this. Default 24 hours.</summary>
    public TimeSpan MaximumInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Poll feeds that publish rarely less often: a week divided by last week's article count, within
    /// the bounds. Applies to feeds without an Interval of their own. Default true.
    /// </summary>
    public bool AdaptToPublishingFrequency { get; set; } = true;

    /// <summary>Each next run moves by up to this fraction of its interval, either way. Default 0.1.</summary>
    [Range(0.0, 0.5)]
    public double JitterFraction { get; set; } = 0.1;

    /// <summary>Fetch jobs one replica runs at once. Default 16.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentFetches { get; set; } = 16;

    /// <summary>How often a replica tells the cluster it is alive; a replica silent for a few of these is presumed dead and its jobs recovered. Default 7.5 s.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>How often the feed list and the job store are compared even without a configuration change. Default 5 minutes.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long shutdown waits for in-flight fetches before cancelling them. Default 25 s (inside Docker's 30 s stop grace).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
