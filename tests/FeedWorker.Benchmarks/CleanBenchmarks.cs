using BenchmarkDotNet.Attributes;
using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Benchmarks;

/// <summary>One article body: sanitize and derive text (Clean), and plain text alone (ToText).</summary>
[Config(typeof(QuickConfig))]
[MemoryDiagnoser]
public class CleanBenchmarks
{
    private HtmlCleaner _cleaner = null!;
    private string _html = "";
    private Uri _baseUrl = null!;

    /// <summary>
    /// wordpress-item: a typical generated item (3–6 KB); article-page: the seed article page (15 KB, a whole page);
    /// deep-100000: 100,000 nested divs (500 KB), flattened beyond 512 levels before parsing (issue 8: it once took ~20 s).
    /// </summary>
    [Params("wordpress-item", "article-page", "deep-100000")]
    public string Input { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _cleaner = BenchmarkInputs.Cleaner;
        if (Input == "deep-100000")
        {
            _html = string.Concat(Enumerable.Repeat("<div>", 100_000)) + "deep";
            _baseUrl = new Uri("https://example.org/deep");
        }
        else if (Input == "article-page")
        {
            _html = BenchmarkInputs.SeedArticlePage();
            _baseUrl = new Uri("https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/");
        }
        else
        {
            var item = BenchmarkInputs.TypicalItem();
            _html = item.Story.Html;
            _baseUrl = new Uri(item.Link);
        }
    }

    [Benchmark]
    public CleanedHtml Clean() => _cleaner.Clean(_html, _baseUrl);

    [Benchmark]
    public string ToText() => _cleaner.ToText(_html);
}
