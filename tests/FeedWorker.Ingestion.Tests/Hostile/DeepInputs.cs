namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>The CPU-heavy deep-input tests run one at a time: two cores shared with the rest of the suite would push them past the deadline.</summary>
[CollectionDefinition(Name)]
public sealed class DeepInputs
{
    public const string Name = "Deep hostile inputs";
}
