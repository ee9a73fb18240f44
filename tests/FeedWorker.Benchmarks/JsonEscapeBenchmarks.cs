using BenchmarkDotNet.Attributes;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Benchmarks;

/// <summary>
/// A JSON Feed item whose content_text is 200 KB, a third of it escape sequences: CodeHollow.FeedReader on
/// its own reads such a string in time that grows with the square of its escapes (issue 19); the parser
/// must read it in linear time.
/// </summary>
[Config(typeof(QuickConfig))]
[MemoryDiagnoser]
public class JsonEscapeBenchmarks
{
    private FeedDocument _document = null!;
    private FeedParser _parser = null!;

    [Params(200_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _document = BenchmarkInputs.EscapeHeavyJsonFeed(Length);
        _parser = BenchmarkInputs.Parser;
        var result = _parser.Parse(_document);
        if (result.Feed?.Articles is not [{ Summary.Length: > 0 }])
        {
            throw new InvalidOperationException($"the escape-heavy JSON Feed did not parse: {result.Error}");
        }
    }

    [Benchmark]
    public ParseResult Parse() => _parser.Parse(_document);
}
