using FeedWorker.Ingestion.Fetching;

namespace FeedWorker.Ingestion.Tests.Fetching;

public sealed class FileFetchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("feedworker-fetch-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Path_and_file_url_read_the_same_bytes()
    {
        var path = Path.Combine(_directory, "feed.xml");
        await File.WriteAllBytesAsync(path, FetchServerFixture.Feed);
        using var host = new FetcherHost();

        var byPath = await host.Fetcher.FetchAsync(new FetchRequest(path), CancellationToken.None);
        var byUrl = await host.Fetcher.FetchAsync(new FetchRequest(new Uri(path).AbsoluteUri), CancellationToken.None);

        Assert.Equal(FetchOutcome.Fetched, byPath.Outcome);
        Assert.Equal(FetchServerFixture.Feed, byPath.Body.ToArray());
        Assert.Equal(FetchServerFixture.Feed, byUrl.Body.ToArray());
        Assert.Equal(new Uri(path), byPath.FinalUrl);
    }

    [Fact]
    public async Task File_over_the_size_limit_is_refused()
    {
        var path = Path.Combine(_directory, "big.xml");
        await File.WriteAllBytesAsync(path, new byte[4096]);
        using var host = new FetcherHost(new Dictionary<string, string?> { ["FeedWorker:Fetcher:MaxBodyBytes"] = "4095" });

        var result = await host.Fetcher.FetchAsync(new FetchRequest(path), CancellationToken.None);

        Assert.Equal(FeedErrorKind.TooLarge, result.ErrorKind);
        Assert.Contains(path, result.Error);
    }

    [Fact]
    public async Task Missing_file_is_not_found_naming_the_path()
    {
        var path = Path.Combine(_directory, "missing.xml");
        using var host = new FetcherHost();

        var result = await host.Fetcher.FetchAsync(new FetchRequest(path), CancellationToken.None);

        Assert.Equal(FeedErrorKind.NotFound, result.ErrorKind);
        Assert.Contains(path, result.Error);
    }
}
