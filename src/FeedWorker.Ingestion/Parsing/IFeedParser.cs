namespace FeedWorker.Ingestion.Parsing;

/// <summary>Turns feed bytes into normalized, not yet cleaned, articles.</summary>
public interface IFeedParser
{
    ParseResult Parse(FeedDocument document);
}
