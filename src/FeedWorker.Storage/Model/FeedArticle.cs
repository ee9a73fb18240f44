namespace FeedWorker.Storage.Model;

/// <summary>A feed carried an article: with that feed's own guid and link.</summary>
public sealed class FeedArticle
{
    public long FeedId { get; set; }
    public Feed? Feed { get; set; }
    public long ArticleId { get; set; }
    public Article? Article { get; set; }
    /// <summary>The feed-local identity of the item (layer 1).</summary>
    public required string ItemKey { get; set; }
    public string? Guid { get; set; }
    public string? Url { get; set; }
    /// <summary>SHA-256 of everything stored from this feed's item: equal means nothing to write.</summary>
    public required string Fingerprint { get; set; }
    /// <summary>SHA-256 of the item as the feed published it, before cleaning: equal means it is not cleaned again. Null for rows stored before it existed.</summary>
    public string? SourceFingerprint { get; set; }
    public DateTime FirstSeenAt { get; set; }
}
