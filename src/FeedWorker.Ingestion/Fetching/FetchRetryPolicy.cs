using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// Retry rules for both named clients: a few retries after network errors and 5xx, never after a
/// 4xx, a refused destination, a name that does not exist or a refused certificate, never past the
/// fetch's deadline, honouring a short Retry-After.
/// </summary>
internal static class FetchRetryPolicy
{
    /// <summary>When the whole fetch must be over; set on each request by <see cref="HttpDocumentFetcher"/>.</summary>
    public static readonly HttpRequestOptionsKey<DateTimeOffset> DeadlineKey = new("FeedWorker.Deadline");

    public static HttpRetryStrategyOptions Create(FetcherOptions options, TimeProvider time) => new()
    {
        MaxRetryAttempts = Math.Max(options.RetryCount, 1),
        Delay = options.RetryBaseDelay,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        ShouldRetryAfterHeader = true,
        ShouldHandle = args =>
        {
            if (options.RetryCount == 0 || args.Context.CancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromResult(false);
            }
            var transient = args.Outcome switch
            {
                { Exception: HttpRequestException ex } => ExceptionChain.Find<DestinationBlockedException>(ex) is null && !NetworkFailure.IsPermanent(ex),
                { Result: { } response } => (int)response.StatusCode >= 500 && RetryAfterIsShort(response, options, time),
                _ => false,
            };
            if (!transient)
            {
                return ValueTask.FromResult(false);
            }
            var request = args.Context.GetRequestMessage();
            var expectedDelay = args.Outcome.Result?.Headers.RetryAfter?.Delta
                ?? options.RetryBaseDelay * Math.Pow(2, args.AttemptNumber);
            var deadlineAllows = request is null
                || !request.Options.TryGetValue(DeadlineKey, out var deadline)
                || time.GetUtcNow() + expectedDelay < deadline;
            return ValueTask.FromResult(deadlineAllows);
        },
    };

    private static bool RetryAfterIsShort(HttpResponseMessage response, FetcherOptions options, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : (TimeSpan?)null);
        return wait is null || wait <= options.MaxRetryAfterWait;
    }
}
