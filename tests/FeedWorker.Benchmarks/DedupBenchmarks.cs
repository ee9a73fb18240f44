using BenchmarkDotNet.Attributes;
using FeedWorker.Ingestion.Dedup;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Benchmarks;

/// <summary>
/// The per-article dedup keys, on a typical generated article after parsing and cleaning, and its two fingerprints: the
/// stored one, and the one of the item as published, before cleaning.
/// </summary>
[Config(typeof(QuickConfig))]
[MemoryDiagnoser]
public class DedupBenchmarks
{
    private ParsedArticle _article = null!;
    private ParsedArticle _published = null!;
    private Uri _base = null!;
    private string _trackedUrl = "";
    private string _text = "";

    [GlobalSetup]
    public void Setup()
    {
        var typical = BenchmarkInputs.TypicalItem();
        var cleaned = BenchmarkInputs.Cleaner.Clean(typical.Story.Html, new Uri(typical.Link));
        _article = new ParsedArticle
        {
            Guid = typical.Guid,
            Url = typical.Link,
            Title = typical.Story.Title,
            Published = typical.Story.Published,
            ContentHtml = cleaned.Html,
            ContentText = cleaned.Text,
        };
        _published = _article with { ContentHtml = typical.Story.Html, ContentText = null };
        _base = new Uri(typical.Link);
        _trackedUrl = "https://WWW.Example.com:443/2026/11/24/some-story-slug/?utm_source=rss&utm_medium=rss&id=42&fbclid=abc#comments";
        _text = cleaned.Text;
        if (SimHash.Of(_text) is null || ContentHash.Of(_text) is null)
        {
            throw new InvalidOperationException("the typical article is too short for SimHash/ContentHash: the figures would be meaningless");
        }
    }

    [Benchmark]
    public string ItemKey() => ItemKeys.For(_article);

    [Benchmark]
    public string? Canonical() => CanonicalUrl.From(_trackedUrl);

    [Benchmark]
    public string? Hash() => ContentHash.Of(_text);

    [Benchmark]
    public long? SimHash64() => SimHash.Of(_text);

    [Benchmark]
    public string StoredFingerprint() => ItemFingerprint.Of(_article);

    [Benchmark]
    public string SourceFingerprint() => ItemFingerprint.BeforeCleaning(_published, _base);
}
