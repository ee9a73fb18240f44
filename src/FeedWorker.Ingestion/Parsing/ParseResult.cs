namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// The outcome of parsing one document. Never an exception for bad input: a document that cannot be
/// read at all has <see cref="Feed"/> null and an <see cref="Error"/>; a document that was read with
/// repairs or losses carries <see cref="Warnings"/>.
/// </summary>
public sealed record ParseResult(ParsedFeed? Feed, string? Error, IReadOnlyList<string> Warnings)
{
    public bool Ok => Feed is not null;

    public static ParseResult Success(ParsedFeed feed, IReadOnlyList<string> warnings) => new(feed, null, warnings);

    public static ParseResult Failure(string error, IReadOnlyList<string> warnings) => new(null, error, warnings);
}
