namespace FeedWorker.Storage;

/// <summary><c>FeedWorker:Retention</c>: how long articles are kept. Off by default: an archive keeps everything.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "FeedWorker:Retention";

    /// <summary>Articles first seen longer ago are deleted; null: never. A feed's own <c>MaxAge</c> overrides it.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Articles deleted per transaction, so no lock is held long. Default: 500.</summary>
    public int BatchSize { get; set; } = 500;
}
