namespace FeedWorker.Configuration;

/// <summary>The <c>FeedWorker</c> configuration section.</summary>
public sealed class FeedWorkerOptions
{
    public const string SectionName = "FeedWorker";
    public const string ConnectionStringName = "FeedWorker";

    public List<FeedOptions> Feeds { get; set; } = [];

    /// <summary>
    /// OPML subscription lists (paths relative to the content root) whose feeds join <see cref="Feeds"/>;
    /// a URL listed in both keeps its <see cref="Feeds"/> entry.
    /// </summary>
    public List<string> OpmlFiles { get; set; } = [];
}

/// <summary>One entry of <c>FeedWorker:Feeds</c>.</summary>
public sealed class FeedOptions
{
    /// <summary>An absolute http(s) URL, a file:// URL or a file path (relative to the content root).</summary>
    public string? Url { get; set; }
    public string? Name { get; set; }
    /// <summary>How often to fetch: a TimeSpan ("00:30:00") or a number with a unit ("90s", "15m", "2h", "1d").</summary>
    public string? Interval { get; set; }
    public bool FetchFullContent { get; set; }
    /// <summary>An absolute http(s) URL: the base for relative links when the feed is read from a file.</summary>
    public string? BaseUrl { get; set; }
    public List<string> Tags { get; set; } = [];
}
