using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

public sealed class HtmlCleanerConcurrencyTests
{
    [Fact]
    public void One_cleaner_gives_the_same_results_from_many_threads()
    {
        var cleaner = new HtmlCleaner();
        var inputs = Enumerable.Range(0, 400)
            .Select(i => $"<p onclick=\"x()\">para {i} <a href=\"/p/{i}\">link</a><img src=\"https://pixel.wp.com/b.gif?i={i}\"><script>s{i}()</script></p><div class=\"sharedaddy\">share</div><p style=\"position:fixed;color:red\">tail {i}</p>")
            .ToArray();
        var baseUrl = new Uri("https://example.org/");
        var expected = inputs.Select(html => cleaner.Clean(html, baseUrl)).ToArray();

        var actual = new CleanedHtml[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = cleaner.Clean(inputs[i], baseUrl));

        Assert.Equal(expected, actual);
        Assert.Equal("para 7 link\n\ntail 7", actual[7].Text);
        Assert.DoesNotContain(actual, c => c.Html.Contains("script") || c.Html.Contains("pixel") || c.Html.Contains("onclick") || c.Html.Contains("position"));
    }
}
