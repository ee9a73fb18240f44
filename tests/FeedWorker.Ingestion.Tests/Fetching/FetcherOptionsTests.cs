namespace FeedWorker.Ingestion.Tests.Fetching;

public sealed class FetcherOptionsTests
{
    [Fact]
    public void Invalid_settings_are_refused_naming_the_setting()
    {
        using var host = new FetcherHost(new Dictionary<string, string?>
        {
            ["FeedWorker:Fetcher:PerHostConcurrency"] = "0",
            ["FeedWorker:Fetcher:Timeout"] = "-00:00:01",
        });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => host.Fetcher);

        Assert.Contains("FeedWorker:Fetcher: PerHostConcurrency must be at least 1", error.Failures);
        Assert.Contains("FeedWorker:Fetcher: Timeout must be positive", error.Failures);
    }
}
