using BenchmarkDotNet.Attributes;
using FeedWorker.Ingestion;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Benchmarks;

/// <summary>One whole feed document: parse alone, and parse then clean every article (what a fetched feed costs).</summary>
[Config(typeof(QuickConfig))]
[MemoryDiagnoser]
public class FeedBenchmarks
{
    private FeedDocument _document = null!;
    private FeedParser _parser = null!;
    private FeedDocumentProcessor _processor = null!;

    [Params(BenchmarkInputs.SeedRss, BenchmarkInputs.SeedAtom, BenchmarkInputs.WordPressRss, BenchmarkInputs.WordPressAtom, BenchmarkInputs.ExcerptsRss)]
    public string Input { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _document = BenchmarkInputs.Feed(Input);
        _parser = BenchmarkInputs.Parser;
        _processor = BenchmarkInputs.Processor;
        var result = _processor.Process(_document);
        if (result.Feed is null || result.Feed.Articles.Count == 0)
        {
            throw new InvalidOperationException($"{Input} did not parse: {result.Error}");
        }
    }

    [Benchmark]
    public ParseResult Parse() => _parser.Parse(_document);

    [Benchmark]
    public ParseResult ParseAndClean() => _processor.Process(_document);
}
