namespace FeedWorker.Ingestion.Parsing;

/// <summary>The raw bytes of a feed as they arrived, with what the transport said about them.</summary>
/// <param name="Content">The body, already decompressed.</param>
/// <param name="ContentType">The Content-Type header (may carry a charset), or null for files.</param>
/// <param name="DocumentUrl">Where the document came from: the base for relative links.</param>
public sealed record FeedDocument(ReadOnlyMemory<byte> Content, string? ContentType, Uri DocumentUrl);
