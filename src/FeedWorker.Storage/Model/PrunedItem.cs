namespace FeedWorker.Storage.Model;

/// <summary>
/// An item whose article retention deleted: while the feed still carries it, it is not stored again.
/// Forgotten on the first successful fetch that no longer carries it.
/// </summary>
public sealed class PrunedItem
{
    public long FeedId { get; set; }
    public Feed? Feed { get; set; }
    public required string ItemKey { get; set; }
    public DateTime PrunedAt { get; set; }
}
