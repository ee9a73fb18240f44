namespace FeedWorker.Ingestion.FullContent;

/// <summary>
/// Settings of full-content (article page) fetches, bound from <c>FeedWorker:FullContent</c>.
/// Timeouts, size and concurrency limits come from <see cref="Fetching.FetcherOptions"/>.
/// </summary>
public sealed class FullContentOptions
{
    public const string SectionName = "FeedWorker:FullContent";

    /// <summary>
    /// Destinations reachable although internal: CIDRs (<c>10.1.0.0/16</c>), single addresses
    /// (<c>127.0.0.1</c>) or exact host names (<c>intranet.example</c>). Default: empty, so loopback,
    /// private, link-local, CGNAT, multicast, unspecified and cloud metadata addresses are all refused.
    /// </summary>
    public List<string> Allowlist { get; set; } = [];
}
