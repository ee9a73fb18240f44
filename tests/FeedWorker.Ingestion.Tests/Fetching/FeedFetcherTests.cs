using FeedWorker.Ingestion.Fetching;

namespace FeedWorker.Ingestion.Tests.Fetching;

public sealed class FeedFetcherTests(FetchServerFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<FetchServerFixture>
{
    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] values) =>
        values.ToDictionary(v => "FeedWorker:Fetcher:" + v.Key, v => (string?)v.Value);

    private static string NewId() => Guid.NewGuid().ToString("N");

    private async Task<FetchResult> Fetch(string pathAndQuery, Dictionary<string, string?>? settings = null, string? etag = null, string? lastModified = null)
    {
        using var host = new FetcherHost(settings);
        return await host.Fetcher.FetchAsync(new FetchRequest(fixture.Server.Url(pathAndQuery).ToString(), etag, lastModified), CancellationToken.None);
    }

    [Fact]
    public async Task Conditional_get_returns_validators_then_not_modified_without_body()
    {
        var first = await Fetch("feed.xml?id=" + NewId());
        Assert.Equal(FetchOutcome.Fetched, first.Outcome);
        Assert.Equal(FetchServerFixture.Feed, first.Body.ToArray());
        Assert.Equal(FetchServerFixture.ETag, first.ETag);
        Assert.Equal(FetchServerFixture.LastModified, first.LastModified);
        Assert.Equal(TimeSpan.FromMinutes(10), first.MaxAge);

        var id = NewId();
        var second = await Fetch("feed.xml?id=" + id, etag: first.ETag, lastModified: first.LastModified);
        Assert.Equal(FetchOutcome.NotModified, second.Outcome);
        Assert.Equal(304, second.StatusCode);
        Assert.True(second.Body.IsEmpty);
        Assert.Equal(FetchServerFixture.ETag, second.ETag);
        Assert.Equal(FetchServerFixture.LastModified, second.LastModified); // kept from the request: the 304 did not repeat it
        Assert.Equal(FetchServerFixture.ETag, fixture.Headers[id]["If-None-Match"]);
        Assert.Equal(FetchServerFixture.LastModified, fixture.Headers[id]["If-Modified-Since"]);
    }

    [Fact]
    public async Task If_modified_since_alone_gives_not_modified()
    {
        var result = await Fetch("feed.xml?id=" + NewId(), lastModified: FetchServerFixture.LastModified);
        Assert.Equal(FetchOutcome.NotModified, result.Outcome);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Compressed_bodies_are_decompressed(string coding)
    {
        var result = await Fetch("encoded/" + coding);
        Assert.Equal(FetchOutcome.Fetched, result.Outcome);
        Assert.Equal(FetchServerFixture.Feed, result.Body.ToArray());
    }

    [Fact]
    public async Task Gzip_bomb_is_refused_with_bounded_memory()
    {
        var id = NewId();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var result = await Fetch("bomb?id=" + id, Settings(("MaxBodyBytes", (4 * 1024 * 1024).ToString())));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"gzip bomb refused after {fixture.BombBytesWritten.GetValueOrDefault(id)} uncompressed bytes served; {allocated} bytes allocated in the process meanwhile");

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(FeedErrorKind.TooLarge, result.ErrorKind);
        Assert.Contains("after decompression", result.Error);
        Assert.Contains("4194304-byte limit", result.Error);
        Assert.Contains(fixture.Server.Url("bomb").ToString(), result.Error);
        Assert.True(result.Body.IsEmpty);
        // Reading the whole GiB (let alone buffering it) would allocate over 1 GiB in this process.
        Assert.True(allocated < 256L * 1024 * 1024, $"allocated {allocated} bytes while refusing the bomb");
    }

    [Theory]
    [InlineData("bomb-with-length", 8388608, "8388608-byte limit (counted after decompression)")] // ~64 KiB compressed, 64 MiB inflated
    [InlineData("large?declare=1&size=2097152", 1048576, "Content-Length 2097152 bytes exceeds")]  // refused before reading
    [InlineData("large?size=2097152", 1048576, "1048576-byte limit (counted after decompression)")] // no Content-Length: cut while streaming
    public async Task Bodies_over_the_limit_are_refused(string pathAndQuery, long maxBytes, string expectedCause)
    {
        var result = await Fetch(pathAndQuery, Settings(("MaxBodyBytes", maxBytes.ToString())));
        Assert.Equal(FeedErrorKind.TooLarge, result.ErrorKind);
        Assert.True(result.Body.IsEmpty);
        Assert.Contains(expectedCause, result.Error);
    }

    [Fact]
    public async Task Body_at_the_limit_is_accepted()
    {
        var result = await Fetch("large?size=1048576", Settings(("MaxBodyBytes", "1048576")));
        Assert.Equal(FetchOutcome.Fetched, result.Outcome);
        Assert.Equal(1048576, result.Body.Length);
    }

    [Theory]
    [InlineData("stall", "Timeout", "00:00:01", FeedErrorKind.Timeout, "no complete response within the 1 s timeout")] // stalls after the headers
    [InlineData("truncated", "RetryBaseDelay", "00:00:00.010", FeedErrorKind.ConnectionReset, "the server closed the connection before the response was complete")] // connection cut mid-body
    public async Task Broken_transfers_fail_naming_the_url_and_cause(string path, string setting, string value, FeedErrorKind expected, string cause)
    {
        var result = await Fetch(path, Settings((setting, value)));
        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(expected, result.ErrorKind);
        Assert.StartsWith(fixture.Server.Url(path).ToString(), result.Error);
        Assert.True(result.Error!.Contains(cause), result.Error);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_throws()
    {
        using var host = new FetcherHost();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => host.Fetcher.FetchAsync(new FetchRequest(fixture.Server.Url("stall").ToString()), cancellation.Token));
    }

    [Fact]
    public async Task Permanent_redirect_chain_sets_the_new_url_and_logs_it()
    {
        using var host = new FetcherHost();
        var start = fixture.Server.Url("perm3");
        var result = await host.Fetcher.FetchAsync(new FetchRequest(start.ToString()), CancellationToken.None);

        var feedUrl = fixture.Server.Url("feed.xml");
        Assert.Equal(FetchOutcome.Fetched, result.Outcome);
        Assert.Equal(feedUrl, result.FinalUrl);
        Assert.Equal(feedUrl, result.PermanentRedirect);
        var log = Assert.Single(host.Logs, l => l.Properties.ContainsKey("NewUrl"));
        Assert.Equal(start, log.Properties["FeedUrl"]);
        Assert.Equal(feedUrl, log.Properties["NewUrl"]);
        Assert.Equal(3, log.Properties["Hops"]);
        Assert.StartsWith("Feed {FeedUrl} moved permanently", (string?)log.Properties["{OriginalFormat}"]);
    }

    [Fact]
    public async Task Temporary_hop_in_the_chain_means_no_permanent_redirect()
    {
        var result = await Fetch("mixed");
        Assert.Equal(FetchOutcome.Fetched, result.Outcome);
        Assert.Equal(fixture.Server.Url("feed.xml"), result.FinalUrl);
        Assert.Null(result.PermanentRedirect);
    }

    [Fact]
    public async Task Redirect_loop_fails_and_names_the_loop()
    {
        var result = await Fetch("loop-a");
        Assert.Equal(FeedErrorKind.TooManyRedirects, result.ErrorKind);
        var a = fixture.Server.Url("loop-a");
        var b = fixture.Server.Url("loop-b");
        Assert.Contains($"redirect loop {a} -> {b} -> {a}", result.Error);
    }

    [Fact]
    public async Task Five_hops_are_followed_and_six_are_refused()
    {
        var five = await Fetch("hop/5");
        Assert.Equal(FetchOutcome.Fetched, five.Outcome);
        Assert.Equal(fixture.Server.Url("hop/0"), five.FinalUrl);

        var six = await Fetch("hop/6");
        Assert.Equal(FeedErrorKind.TooManyRedirects, six.ErrorKind);
        Assert.Contains("more than 5 redirects", six.Error);
    }

    [Fact]
    public async Task Redirect_without_location_or_to_a_file_is_refused()
    {
        var none = await Fetch("no-location");
        Assert.Equal(FeedErrorKind.InvalidUrl, none.ErrorKind);
        Assert.Contains("without a usable http(s) Location", none.Error);

        var file = await Fetch("to-file");
        Assert.Equal(FeedErrorKind.InvalidUrl, file.ErrorKind);
    }

    [Theory]
    [InlineData(404, FeedErrorKind.NotFound)]
    [InlineData(410, FeedErrorKind.Gone)]
    [InlineData(403, FeedErrorKind.Unauthorized)]
    [InlineData(400, FeedErrorKind.ClientError)]
    public async Task Client_errors_are_classified_and_never_retried(int status, FeedErrorKind expected)
    {
        var id = NewId();
        var result = await Fetch($"status/{status}?id={id}", Settings(("RetryBaseDelay", "00:00:00.010")));
        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(expected, result.ErrorKind);
        Assert.Equal(status, result.StatusCode);
        Assert.Contains(fixture.Server.Url($"status/{status}?id={id}").ToString(), result.Error);
        Assert.Contains($"HTTP {status}", result.Error);
        Assert.Equal(1, fixture.Attempts[$"/status/{status}?{id}"]);
    }

    [Fact]
    public async Task Server_errors_are_retried_the_configured_number_of_times()
    {
        var id = NewId();
        var result = await Fetch($"status/500?id={id}", Settings(("RetryCount", "2"), ("RetryBaseDelay", "00:00:00.010")));
        Assert.Equal(FeedErrorKind.ServerError, result.ErrorKind);
        Assert.Equal(500, result.StatusCode);
        Assert.Equal(3, fixture.Attempts[$"/status/500?{id}"]);
    }

    [Fact]
    public async Task No_retry_is_started_that_would_end_after_the_total_timeout()
    {
        var id = NewId();
        var result = await Fetch($"status/500?id={id}", Settings(("RetryCount", "5"), ("RetryBaseDelay", "00:00:10"), ("Timeout", "00:00:05")));
        Assert.Equal(FeedErrorKind.ServerError, result.ErrorKind); // the server's answer, not a timeout during a doomed wait
        Assert.Equal(1, fixture.Attempts[$"/status/500?{id}"]);
    }

    [Fact]
    public async Task Retry_count_zero_means_one_attempt()
    {
        var id = NewId();
        var result = await Fetch($"status/502?id={id}", Settings(("RetryCount", "0")));
        Assert.Equal(FeedErrorKind.ServerError, result.ErrorKind);
        Assert.Equal(1, fixture.Attempts[$"/status/502?{id}"]);
    }

    [Fact]
    public async Task Transient_503_with_short_retry_after_is_retried_to_success()
    {
        var id = NewId();
        var result = await Fetch("flaky?id=" + id);
        Assert.Equal(FetchOutcome.Fetched, result.Outcome);
        Assert.Equal(2, fixture.Attempts["/flaky?" + id]);
    }

    [Fact]
    public async Task Too_many_requests_returns_retry_after_seconds_without_retrying()
    {
        var id = NewId();
        var result = await Fetch("retry-after-seconds?id=" + id);
        Assert.Equal(FeedErrorKind.RateLimited, result.ErrorKind);
        Assert.Equal(TimeSpan.FromSeconds(120), result.RetryAfter);
        Assert.Contains("Retry-After 120 s", result.Error);
        Assert.Equal(1, fixture.Attempts["/retry-after-seconds?" + id]);
    }

    [Fact]
    public async Task Unavailable_with_a_long_retry_after_date_is_not_retried_and_returns_the_wait()
    {
        var id = NewId();
        var result = await Fetch("retry-after-date?id=" + id, Settings(("RetryBaseDelay", "00:00:00.010")));
        Assert.Equal(FeedErrorKind.ServerError, result.ErrorKind);
        Assert.NotNull(result.RetryAfter);
        Assert.InRange(result.RetryAfter.Value, TimeSpan.FromMinutes(115), TimeSpan.FromMinutes(121));
        Assert.Equal(1, fixture.Attempts["/retry-after-date?" + id]);
    }

    [Fact]
    public async Task Html_content_type_with_a_feed_body_is_returned_with_its_charset()
    {
        var result = await Fetch("html-feed");
        Assert.Equal(FetchOutcome.Fetched, result.Outcome);
        Assert.Equal("text/html; charset=ISO-8859-1", result.ContentType);
        Assert.Contains((byte)0xE9, result.Body.ToArray()); // é still in Latin-1: the bytes are passed through untouched
    }

    [Fact]
    public async Task User_agent_names_the_version_and_can_be_configured()
    {
        var id = NewId();
        await Fetch("echo?id=" + id);
        var version = typeof(FeedFetcher).Assembly.GetName().Version!.ToString(3);
        Assert.Equal($"FeedWorker/{version} (+https://github.com/feedworker/feedworker)", fixture.Headers[id]["User-Agent"]);

        var custom = NewId();
        await Fetch("echo?id=" + custom, Settings(("UserAgent", "MyReader/2.0 (+https://reader.example)")));
        Assert.Equal("MyReader/2.0 (+https://reader.example)", fixture.Headers[custom]["User-Agent"]);
    }

    [Fact]
    public async Task Connection_refused_is_classified_naming_the_url_and_port()
    {
        var port = LoopbackPort.Unused();

        using var host = new FetcherHost(Settings(("RetryBaseDelay", "00:00:00.010")));
        var url = $"http://127.0.0.1:{port}/feed.xml";
        var result = await host.Fetcher.FetchAsync(new FetchRequest(url), CancellationToken.None);
        Assert.Equal(FeedErrorKind.ConnectionRefused, result.ErrorKind);
        Assert.Equal($"{url}: connection refused: nothing accepts connections on 127.0.0.1:{port}", result.Error);
    }
}
