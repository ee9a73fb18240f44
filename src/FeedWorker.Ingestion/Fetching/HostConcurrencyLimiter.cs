using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// Caps requests in flight per host (host and port) and in the whole process. One instance per
/// process (a DI singleton), shared by feed and full-content fetches.
/// </summary>
/// <remarks>
/// The host slot is taken before the global one, so requests queued behind a slow host wait
/// without holding global slots that other hosts could use.
/// </remarks>
public sealed class HostConcurrencyLimiter(IOptions<FetcherOptions> options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _global = new(options.Value.GlobalConcurrency, options.Value.GlobalConcurrency);
    private readonly int _perHost = options.Value.PerHostConcurrency;

    public async Task<IDisposable> AcquireAsync(Uri url, CancellationToken cancellationToken)
    {
        var host = _hosts.GetOrAdd(url.Authority, static (_, limit) => new SemaphoreSlim(limit, limit), _perHost);
        await host.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _global.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Release();
            throw;
        }
        return new Lease(host, _global);
    }

    private sealed class Lease(SemaphoreSlim host, SemaphoreSlim global) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                global.Release();
                host.Release();
            }
        }
    }
}
