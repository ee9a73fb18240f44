using System.Collections.Concurrent;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// The HTTP client for a feed's requests: the named client (default proxy) or one client per proxy
/// that feeds configure. A proxy is a property of the connection pool, so each gets its own handler;
/// there are as many as distinct proxies in the configuration.
/// </summary>
internal sealed class FeedClients(IHttpClientFactory factory, IOptions<FetcherOptions> options, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<Uri, Lazy<HttpClient>> _proxied = new();

    public HttpClient For(Uri? proxy) =>
        proxy is null ? factory.CreateClient(FeedFetcher.ClientName) : _proxied.GetOrAdd(proxy, p => new Lazy<HttpClient>(() => Create(p))).Value;

    private HttpClient Create(Uri proxy)
    {
        var retry = new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(FetchRetryPolicy.Create(options.Value, time)).Build();
        var handler = new ResilienceHandler(retry) { InnerHandler = FetchHandler.Create(options.Value, proxy) };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }; // the fetcher enforces the total timeout
    }

    public void Dispose()
    {
        foreach (var client in _proxied.Values.Where(c => c.IsValueCreated)) client.Value.Dispose();
    }
}
