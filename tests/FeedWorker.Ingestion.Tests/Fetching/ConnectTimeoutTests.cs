using System.Net;
using System.Net.Sockets;
using FeedWorker.Ingestion.Fetching;

namespace FeedWorker.Ingestion.Tests.Fetching;

public sealed class ConnectTimeoutTests
{
    [Fact]
    public async Task A_host_that_never_accepts_the_connection_fails_with_the_connect_timeout()
    {
        // A listener that never accepts, with its backlog filled: the kernel drops further SYNs, so a
        // connect hangs as it would against a black-holed address. Kestrel cannot be made to do this.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                try
                {
                    await filler.ConnectAsync(endpoint, attempt.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // the backlog is full
                }
            }

            using var host = new FetcherHost(new Dictionary<string, string?>
            {
                ["FeedWorker:Fetcher:ConnectTimeout"] = "00:00:01",
                ["FeedWorker:Fetcher:Timeout"] = "00:01:00",
                ["FeedWorker:Fetcher:RetryCount"] = "0",
            });
            var url = $"http://127.0.0.1:{endpoint.Port}/feed.xml";
            var result = await host.Fetcher.FetchAsync(new FetchRequest(url), CancellationToken.None);

            Assert.Equal(FeedErrorKind.Timeout, result.ErrorKind);
            Assert.StartsWith(url, result.Error);
            Assert.Contains("connect timeout is 1 s", result.Error);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }
}
