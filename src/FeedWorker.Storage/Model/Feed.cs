namespace FeedWorker.Storage.Model;

/// <summary>A subscribed feed and its fetch state: one row per feed URL.</summary>
public sealed class Feed
{
    public long Id { get; set; }
    public required string Url { get; set; }
    public string? Name { get; set; }
    public string? Title { get; set; }
    public string? SiteUrl { get; set; }
    /// <summary>Where the subscription comes from: <see cref="FeedOrigins"/>.</summary>
    public required string Origin { get; set; }
    public bool Enabled { get; set; } = true;
    public string? DisabledReason { get; set; }
    public TimeSpan? FetchInterval { get; set; }
    public bool FetchFullContent { get; set; }
    public List<string> Tags { get; set; } = [];

    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    public DateTime? LastFetchedAt { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public DateTime? NextFetchAt { get; set; }
    public int ErrorCount { get; set; }
    public string? LastError { get; set; }
    public string? LastErrorKind { get; set; }
    public int? LastStatus { get; set; }

    /// <summary>What the last successful fetch repaired, dropped or skipped (items, characters, dates): how many, and the first few.</summary>
    public int WarningCount { get; set; }
    public string? LastWarning { get; set; }
    public int ConsecutiveNotModified { get; set; }

    /// <summary>Set when a 301/308 moved the feed: fetched instead of <see cref="Url"/>, which stays the identity.</summary>
    public string? RedirectedTo { get; set; }
    public TimeSpan? TtlHint { get; set; }
    public TimeSpan? UpdateIntervalHint { get; set; }
    public TimeSpan? MaxAgeHint { get; set; }
    public DateTime? RetryAfter { get; set; }

    /// <summary>The replica fetching the feed now; with <see cref="ClaimUntil"/>, a lease that returns the feed when it lapses.</summary>
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimUntil { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<FeedArticle> FeedArticles { get; set; } = [];
}

public static class FeedOrigins
{
    public const string Config = "config";
    public const string Opml = "opml";
    /// <summary>Named on the command line (<c>once --feed</c>) without being configured.</summary>
    public const string AdHoc = "adhoc";
}
