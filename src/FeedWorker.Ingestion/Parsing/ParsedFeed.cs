namespace FeedWorker.Ingestion.Parsing;

/// <summary>A feed normalized across RSS, Atom and JSON Feed.</summary>
public sealed record ParsedFeed
{
    public required FeedFormat Format { get; init; }
    /// <summary>Plain text.</summary>
    public string? Title { get; init; }
    /// <summary>The site's home page, absolute.</summary>
    public string? Link { get; init; }
    /// <summary>Plain text.</summary>
    public string? Description { get; init; }
    public string? Language { get; init; }
    public DateTimeOffset? Updated { get; init; }
    /// <summary>What the publisher says about how often to poll (RSS ttl, sy:updatePeriod).</summary>
    public FeedRefreshHints RefreshHints { get; init; } = FeedRefreshHints.None;
    public IReadOnlyList<ParsedArticle> Articles { get; init; } = [];
}

public enum FeedFormat
{
    Rss20,
    Rss10,
    Rss09x,
    Atom10,
    Atom03,
    JsonFeed,
}

/// <param name="TimeToLive">RSS &lt;ttl&gt;.</param>
/// <param name="UpdateInterval">sy:updatePeriod divided by sy:updateFrequency.</param>
public sealed record FeedRefreshHints(TimeSpan? TimeToLive, TimeSpan? UpdateInterval)
{
    public static FeedRefreshHints None { get; } = new(null, null);
}
