using FeedWorker.Ingestion;
using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Refresh;
using FeedWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeedWorker.IntegrationTests.Refresh;

/// <summary>
/// A name that does not resolve, a TLS handshake that fails and a status line HttpClient refuses, refreshed
/// together with a healthy feed: each failure is recorded on its own feed row with its kind and cause, and the
/// healthy feed is stored.
/// </summary>
public sealed class NetworkFailureRecordingTests : IAsyncLifetime
{
    // Patient with DNS: on a machine whose resolver never answers, it still gives up before the fetch does.
    private readonly RefreshHost _host = new()
    {
        Settings = new Dictionary<string, string?>
        {
            ["FeedWorker:Fetcher:ConnectTimeout"] = "00:01:30",
            ["FeedWorker:Fetcher:Timeout"] = "00:05:00",
            ["FeedWorker:Fetcher:RetryBaseDelay"] = "00:00:00.010",
        },
    };

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Dns_tls_and_protocol_failures_are_recorded_on_their_feeds_by_kind_and_cause_while_a_healthy_feed_is_stored()
    {
        await using var server = await CountingFeedServer.StartAsync();
        server.Publish("healthy", FeedFiles.Rss("healthy", Cluster.Stories("healthy", 0, 3)));
        // A port that answers the TLS ClientHello with something that is not TLS.
        await using var notTls = RawTcpServer.AnsweringWith("not a TLS record\r\n"u8.ToArray());
        // A server whose status line carries a NUL: HttpClient's error quotes it, and PostgreSQL refuses NUL in text,
        // which once made the write of the error fail (recorded as an internal failure, the real cause lost).
        await using var nulReason = RawTcpServer.AnsweringWith("HTTP/1.1 200 O\0K\r\nContent-Length: 0\r\n\r\n"u8.ToArray());

        var store = _host.Services.GetRequiredService<FeedStore>();
        var refresher = _host.Services.GetRequiredService<FeedRefresher>();
        var unresolvable = "http://feed.invalid/rss";
        var tls = $"https://127.0.0.1:{notTls.Port}/feed.xml";
        var protocol = $"http://127.0.0.1:{nulReason.Port}/feed.xml";
        var feeds = new[] { unresolvable, tls, protocol, server.Url("healthy") };
        var subscriptions = new List<FeedSubscription>();
        foreach (var url in feeds) subscriptions.Add(await store.EnsureAsync(url, CancellationToken.None));

        var outcomes = await Task.WhenAll(subscriptions.Select(f => refresher.RefreshAsync(f, CancellationToken.None)))
            .WaitAsync(TimeSpan.FromMinutes(6));

        Assert.Equal([FeedRefreshStatus.Failed, FeedRefreshStatus.Failed, FeedRefreshStatus.Failed, FeedRefreshStatus.Stored], outcomes.Select(o => o.Status));
        var rows = await ReadRowsAsync();

        Assert.Equal(("Protocol", 1), (rows[protocol].Kind, rows[protocol].ErrorCount));
        Assert.StartsWith(protocol + ": not a valid HTTP response (", rows[protocol].Error);
        Assert.Contains("'OK'", rows[protocol].Error); // the reason phrase, its NUL removed

        Assert.Equal("NameResolution", rows[unresolvable].Kind);
        Assert.Equal(1, rows[unresolvable].ErrorCount);
        Assert.StartsWith(unresolvable + ": the host name feed.invalid ", rows[unresolvable].Error);

        Assert.Equal("Tls", rows[tls].Kind);
        Assert.Equal(1, rows[tls].ErrorCount);
        Assert.StartsWith(tls + ": TLS handshake failed: ", rows[tls].Error);

        Assert.Null(rows[server.Url("healthy")].Kind);
        Assert.Null(rows[server.Url("healthy")].Error);
        Assert.Equal(3, rows[server.Url("healthy")].Articles);
    }

    private sealed record Row(string? Kind, string? Error, int ErrorCount, long Articles);

    private async Task<Dictionary<string, Row>> ReadRowsAsync()
    {
        await using var connection = new NpgsqlConnection(_host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT f.url, f.last_error_kind, f.last_error, f.error_count, (SELECT count(*) FROM feed_articles a WHERE a.feed_id = f.id) FROM feeds f",
            connection);
        var rows = new Dictionary<string, Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = new Row(
                reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), Convert.ToInt32(reader.GetValue(3)), reader.GetInt64(4));
        }
        return rows;
    }
}
