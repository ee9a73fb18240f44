using FeedWorker.Ingestion.Rules;

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

    /// <summary>Keep and block rules for every feed (<c>FeedWorker:Rules:Keep</c>, <c>FeedWorker:Rules:Block</c>).</summary>
    public GlobalRuleOptions Rules { get; set; } = new();
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

    /// <summary>HTTP basic auth, sent to the feed's own origin only. Set it from the environment or a secrets file, never in a committed file.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>Request headers (User-Agent, Cookie, ...) sent to the feed's own origin only.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>http, https or socks5 proxy URL for this feed; overrides <c>FeedWorker:Fetcher:Proxy</c>.</summary>
    public string? Proxy { get; set; }
    /// <summary>When any: only items one of them matches are stored.</summary>
    public List<ItemRuleOptions> KeepRules { get; set; } = [];
    /// <summary>Items any of them matches are not stored.</summary>
    public List<ItemRuleOptions> BlockRules { get; set; } = [];
    /// <summary>Retention for this feed's articles; overrides <c>FeedWorker:Retention:MaxAge</c>.</summary>
    public TimeSpan? MaxAge { get; set; }
    /// <summary>The language of its items when neither they nor the feed name one ("fr", "de-AT"): chooses their search configuration.</summary>
    public string? Language { get; set; }
}
