using FeedWorker.Storage;

namespace FeedWorker.Refresh;

public enum FeedRefreshStatus
{
    Stored,
    NotModified,
    Failed,
}

/// <summary>What refreshing one feed did; <see cref="Error"/> names the cause when it failed.</summary>
public sealed record FeedRefreshOutcome(string FeedUrl, FeedRefreshStatus Status, StoreResult Stored, string? Error, bool StorageUnavailable = false)
{
    /// <summary>Items the keep and block rules left out: not stored.</summary>
    public int Filtered { get; init; }

    public static FeedRefreshOutcome Failed(string feedUrl, string error, bool storageUnavailable = false) =>
        new(feedUrl, FeedRefreshStatus.Failed, StoreResult.Empty, error, storageUnavailable);
}
