using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FeedWorker.Ingestion.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.Ingestion.Tests.Fetching;

/// <summary>
/// Failures below HTTP, each through the production fetcher: a name that does not resolve, a TLS
/// handshake that fails, a server that resets the connection or does not speak HTTP. Each must come back
/// as its own kind with the URL and the cause in words, and none may hold up another feed's fetch.
/// </summary>
public sealed class NetworkFailureTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>RFC 6761 reserves .invalid: no resolver may answer it, so no test depends on the internet.</summary>
    private const string UnresolvableUrl = "http://feed.invalid/rss";

    /// <summary>No test waits longer than this for one fetch: a hang becomes a failure, not a stuck run.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(6);

    /// <summary>
    /// For fetches of <see cref="UnresolvableUrl"/>. A machine whose DNS server answers (NXDOMAIN) or is
    /// refused fails in milliseconds; one whose server is silent makes glibc give up only after 20 s
    /// (measured: 5 s x 2 attempts, A and AAAA). The connect timeout, which covers DNS, and the total
    /// timeout for three attempts are set past that, so the resolver reports the failure itself there
    /// too, instead of the fetch ending as a Timeout.
    /// </summary>
    private static readonly (string, string)[] PatientResolver =
        [("ConnectTimeout", "00:01:30"), ("Timeout", "00:05:00"), ("RetryCount", "2"), ("RetryBaseDelay", "00:00:00.010")];

    private readonly TaskCompletionSource _releaseSlowFeed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _slowFeedRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LocalServer _feeds = null!;

    public async Task InitializeAsync() => _feeds = await LocalServer.StartAsync(app =>
    {
        app.MapGet("/feed.xml", () => Results.Bytes(FetchServerFixture.Feed, "application/rss+xml"));
        app.MapGet("/slow.xml", async (CancellationToken aborted) =>
        {
            _slowFeedRequested.TrySetResult();
            await _releaseSlowFeed.Task.WaitAsync(Deadline, aborted);
            return Results.Bytes(FetchServerFixture.Feed, "application/rss+xml");
        });
    });

    public async Task DisposeAsync() => await _feeds.DisposeAsync();

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] values) =>
        values.ToDictionary(v => "FeedWorker:Fetcher:" + v.Key, v => (string?)v.Value);

    private async Task<FetchResult> FetchAsync(FetcherHost host, string url)
    {
        var result = await host.Fetcher.FetchAsync(new FetchRequest(url), CancellationToken.None).WaitAsync(Deadline);
        output.WriteLine($"{result.ErrorKind}: {result.Error}");
        return result;
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_a_name_resolution_failure_naming_the_url_and_host()
    {
        using var host = new FetcherHost(Settings(PatientResolver));

        var result = await FetchAsync(host, UnresolvableUrl);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(FeedErrorKind.NameResolution, result.ErrorKind);
        Assert.StartsWith(UnresolvableUrl + ": the host name feed.invalid ", result.Error);
        // "does not resolve" where a DNS server answers (NXDOMAIN); "could not be resolved: the DNS server
        // failed or did not answer" where none does. Both are this kind, and both say so in words.
        Assert.True(
            result.Error!.Contains("does not resolve", StringComparison.Ordinal)
            || result.Error.Contains("could not be resolved", StringComparison.Ordinal),
            result.Error);
        // A definite "no such name" is not asked again within the fetch; a resolver that failed to answer is.
        var attempts = host.Logs.Count(l => l.Category.StartsWith("Polly", StringComparison.Ordinal) && l.Message.StartsWith("Execution attempt", StringComparison.Ordinal));
        Assert.Equal(result.Error.Contains("does not resolve", StringComparison.Ordinal) ? 1 : 3, attempts);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_fails_while_another_feed_is_still_being_fetched()
    {
        using var host = new FetcherHost(Settings(PatientResolver));

        // A healthy feed whose server holds its answer: its fetch is in flight on the same fetcher
        // (same handler, same global limit) while the unresolvable one runs.
        var healthy = FetchAsync(host, _feeds.Url("slow.xml").AbsoluteUri);
        await _slowFeedRequested.Task.WaitAsync(Deadline);

        var failed = await FetchAsync(host, UnresolvableUrl);

        Assert.Equal(FeedErrorKind.NameResolution, failed.ErrorKind);
        Assert.False(healthy.IsCompleted, "the failure was reported only after the other feed's fetch ended");

        _releaseSlowFeed.SetResult();
        var fetched = await healthy;
        Assert.Equal(FetchOutcome.Fetched, fetched.Outcome);
        Assert.Equal(FetchServerFixture.Feed, fetched.Body.ToArray());
    }

    [Fact]
    public async Task An_untrusted_certificate_is_a_tls_failure_naming_the_certificate_and_is_not_retried()
    {
        using var certificate = SelfSignedCertificate();
        await using var server = await LocalServer.StartAsync(
            app => app.MapGet("/feed.xml", () => Results.Bytes(FetchServerFixture.Feed, "application/rss+xml")), certificate);
        var url = server.Url("feed.xml").AbsoluteUri;

        // Control: a client that trusts exactly this certificate gets the feed, so the server works and
        // only trust is at stake below.
        using (var trusting = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString() },
        }))
        {
            Assert.Equal(FetchServerFixture.Feed, await trusting.GetByteArrayAsync(url));
        }
        var afterControl = (server.Connections, Requests: server.RequestCount("/feed.xml"));

        using var host = new FetcherHost(Settings(("RetryCount", "2"), ("RetryBaseDelay", "00:00:00.010")));
        var result = await FetchAsync(host, url);

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(FeedErrorKind.Tls, result.ErrorKind);
        Assert.StartsWith(url + ": TLS handshake failed: the remote certificate is invalid", result.Error);
        Assert.Contains("UntrustedRoot", result.Error);
        Assert.Equal(afterControl.Requests, server.RequestCount("/feed.xml")); // validation is on: no request reached the server
        Assert.Equal(afterControl.Connections + 1, server.Connections); // refused certificates are not retried
    }

    [Fact]
    public async Task A_port_that_answers_the_client_hello_with_garbage_is_a_tls_failure()
    {
        await using var server = RawTcpServer.AnsweringWith("SSH-2.0-OpenSSH_9.6\r\nnot a TLS record\r\n"u8.ToArray());
        var url = $"https://127.0.0.1:{server.Port}/feed.xml";
        using var host = new FetcherHost(Settings(("RetryBaseDelay", "00:00:00.010")));

        var result = await FetchAsync(host, url);

        Assert.Equal(FeedErrorKind.Tls, result.ErrorKind);
        Assert.StartsWith(url + ": TLS handshake failed: ", result.Error);
        Assert.Equal(1, server.Connections); // a server that does not speak TLS will not start on a retry
    }

    [Fact]
    public async Task A_server_that_closes_during_the_handshake_is_a_tls_failure_saying_so()
    {
        await using var server = new RawTcpServer(async (socket, ct) => await RawTcpServer.ReceiveFirstAsync(socket, ct));
        var url = $"https://127.0.0.1:{server.Port}/feed.xml";
        using var host = new FetcherHost(Settings(("RetryBaseDelay", "00:00:00.010")));

        var result = await FetchAsync(host, url);

        Assert.Equal(FeedErrorKind.Tls, result.ErrorKind);
        Assert.StartsWith(url + ": TLS handshake failed: the server closed or broke the connection during the handshake", result.Error);
        Assert.Equal(3, server.Connections); // possibly transient: the first attempt and both retries
    }

    [Fact]
    public async Task A_stalled_then_failed_handshake_does_not_hold_up_another_feed()
    {
        var helloReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new RawTcpServer(async (socket, ct) =>
        {
            await RawTcpServer.ReceiveFirstAsync(socket, ct);
            helloReceived.TrySetResult();
            await answer.Task.WaitAsync(ct);
            await socket.SendAsync("not a TLS record"u8.ToArray(), SocketFlags.None, ct);
        });
        var tlsUrl = $"https://127.0.0.1:{server.Port}/feed.xml";
        using var host = new FetcherHost(Settings(("RetryCount", "0")));

        var stalled = FetchAsync(host, tlsUrl);
        await helloReceived.Task.WaitAsync(Deadline);

        // The other feed is fetched in full while the handshake is still hanging.
        var healthy = await FetchAsync(host, _feeds.Url("feed.xml").AbsoluteUri);
        Assert.Equal(FetchOutcome.Fetched, healthy.Outcome);
        Assert.False(stalled.IsCompleted);

        answer.SetResult();
        var failed = await stalled;
        Assert.Equal(FeedErrorKind.Tls, failed.ErrorKind);
        Assert.StartsWith(tlsUrl + ": TLS handshake failed: ", failed.Error);
    }

    [Fact]
    public async Task A_server_that_resets_the_connection_before_answering_is_a_connection_reset()
    {
        await using var server = new RawTcpServer(async (socket, ct) =>
        {
            await RawTcpServer.ReceiveFirstAsync(socket, ct);
            socket.LingerState = new LingerOption(true, 0); // close with RST instead of FIN
        });
        var url = $"http://127.0.0.1:{server.Port}/feed.xml";
        using var host = new FetcherHost(Settings(("RetryBaseDelay", "00:00:00.010")));

        var result = await FetchAsync(host, url);

        Assert.Equal(FeedErrorKind.ConnectionReset, result.ErrorKind);
        Assert.StartsWith(url + ": the server closed the connection before the response was complete", result.Error);
        Assert.Equal(3, server.Connections); // a reset may be transient: retried
    }

    [Fact]
    public async Task A_server_that_does_not_speak_http_is_a_protocol_failure()
    {
        await using var server = RawTcpServer.AnsweringWith("SSH-2.0-OpenSSH_9.6\r\n\r\n"u8.ToArray());
        var url = $"http://127.0.0.1:{server.Port}/feed.xml";
        using var host = new FetcherHost(Settings(("RetryBaseDelay", "00:00:00.010")));

        var result = await FetchAsync(host, url);

        Assert.Equal(FeedErrorKind.Protocol, result.ErrorKind);
        Assert.StartsWith(url + ": not a valid HTTP response", result.Error);
        Assert.Contains("SSH-2.0-OpenSSH_9.6", result.Error);
    }

    /// <summary>A certificate for 127.0.0.1 that no trust store knows.</summary>
    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server auth
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PFX so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }
}
