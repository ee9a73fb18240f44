namespace FeedWorker.Storage;

/// <summary>The <c>FeedWorker:Notifications</c> configuration section.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "FeedWorker:Notifications";

    /// <summary>Send <c>NOTIFY feedworker_articles</c> for each new or changed article.</summary>
    public bool Enabled { get; set; } = true;
}
