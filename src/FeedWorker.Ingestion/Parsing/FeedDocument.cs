namespace FeedWorker.Ingestion.Parsing;

/// <summary>The raw bytes of a feed as they arrived, with what the transport said about them.</summary>
/// <param name="Content">The body, already decompressed.</param>
/// <param name="ContentType">The Content-Type header (may carry a charset), or null for files.</param>
/// <param name="DocumentUrl">Where the document came from: the base for relative links.</param>
/// <param name="ConfiguredBaseUrl">
/// The feed's configured <c>BaseUrl</c>: the base for relative links when <paramref name="DocumentUrl"/> is not a
/// web address (a file), ahead of the feed's own site link.
/// </param>
public sealed record FeedDocument(ReadOnlyMemory<byte> Content, string? ContentType, Uri DocumentUrl, Uri? ConfiguredBaseUrl = null)
{
    /// <summary>The document URL, or the configured base when the document has no web address.</summary>
    public Uri LinkBase => WebAddress.Is(DocumentUrl) || ConfiguredBaseUrl is null ? DocumentUrl : ConfiguredBaseUrl;
}
