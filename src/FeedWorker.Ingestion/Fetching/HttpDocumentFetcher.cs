using System.Net;
using System.Net.Http.Headers;
using FeedWorker.Ingestion.FullContent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// The hardened HTTP path shared by feed and full-content fetches: per-host and global limits, a total
/// timeout over every hop and the body, redirects followed by hand, status classification, a body
/// size cap counted after decompression. Never throws for network or HTTP problems.
/// </summary>
internal sealed partial class HttpDocumentFetcher(
    HostConcurrencyLimiter limiter,
    IOptions<FetcherOptions> options,
    TimeProvider time,
    ILogger<HttpDocumentFetcher> logger)
{
    private readonly FetcherOptions _options = options.Value;

    public async Task<FetchResult> FetchAsync(
        HttpClient client, Uri url, string accept, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return Failed(url, FetchErrorKind.InvalidUrl, $"{url}: only http and https URLs can be fetched");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chain = new List<Uri> { url };
        var current = url;
        var everyHopPermanent = true;
        var deadline = DateTimeOffset.MaxValue;
        try
        {
            while (true)
            {
                // Waiting for a slot on the first hop does not count against the timeout: a busy host
                // queues its own feeds without failing them.
                using var lease = await limiter.AcquireAsync(current, chain.Count == 1 ? cancellationToken : timeout.Token).ConfigureAwait(false);
                if (chain.Count == 1)
                {
                    timeout.CancelAfter(_options.Timeout);
                    deadline = time.GetUtcNow() + _options.Timeout;
                }

                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.TryAddWithoutValidation("User-Agent", _options.EffectiveUserAgent);
                request.Headers.TryAddWithoutValidation("Accept", accept);
                request.Headers.TryAddWithoutValidation("Accept-Encoding", CompressedBody.AcceptEncoding);
                if (!string.IsNullOrEmpty(etag)) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                if (!string.IsNullOrEmpty(lastModified)) request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
                request.Options.Set(FetchRetryPolicy.DeadlineKey, deadline);

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;

                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    var next = NextHop(current, response.Headers.Location);
                    if (next is null)
                    {
                        return Failed(current, FetchErrorKind.InvalidUrl, $"{Describe(url, current)}: HTTP {status} redirect without a usable http(s) Location");
                    }
                    if (chain.Contains(next))
                    {
                        return Failed(current, FetchErrorKind.TooManyRedirects,
                            $"{url}: redirect loop {string.Join(" -> ", chain.Append(next))}");
                    }
                    if (chain.Count > _options.MaxRedirects)
                    {
                        return Failed(current, FetchErrorKind.TooManyRedirects,
                            $"{url}: more than {_options.MaxRedirects} redirects ({string.Join(" -> ", chain.Append(next))})");
                    }
                    everyHopPermanent &= status is 301 or 308;
                    chain.Add(next);
                    current = next;
                    continue;
                }

                var permanent = chain.Count > 1 && everyHopPermanent ? current : null;
                if (permanent is not null)
                {
                    LogPermanentRedirect(url, permanent, chain.Count - 1);
                }

                if (status == 304)
                {
                    return new FetchResult
                    {
                        Outcome = FetchOutcome.NotModified,
                        FinalUrl = current,
                        StatusCode = status,
                        ETag = Header(response.Headers, "ETag") ?? etag,
                        LastModified = Header(response.Content.Headers, "Last-Modified") ?? lastModified,
                        PermanentRedirect = permanent,
                        MaxAge = response.Headers.CacheControl?.MaxAge,
                    };
                }

                if (status is < 200 or > 299)
                {
                    var (kind, hint) = Classify(status);
                    var retryAfter = status is 429 or 503 ? RetryAfter(response.Headers.RetryAfter) : null;
                    var retryText = retryAfter is { } r ? $", Retry-After {r.TotalSeconds:0} s" : "";
                    return new FetchResult
                    {
                        Outcome = FetchOutcome.Failed,
                        FinalUrl = current,
                        StatusCode = status,
                        PermanentRedirect = permanent,
                        RetryAfter = retryAfter,
                        ErrorKind = kind,
                        Error = $"{Describe(url, current)}: HTTP {status} {response.ReasonPhrase} ({hint}{retryText})",
                    };
                }

                if (response.Content.Headers.ContentLength is long declared && declared > _options.MaxBodyBytes)
                {
                    return Failed(current, FetchErrorKind.TooLarge,
                        $"{Describe(url, current)}: Content-Length {declared} bytes exceeds the {_options.MaxBodyBytes}-byte limit", status);
                }

                var coding = CompressedBody.CodingOf(response.Content.Headers);
                var raw = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                await using (raw.ConfigureAwait(false))
                {
                    var body = await LimitedReader.ReadAsync(raw, _options.MaxBodyBytes, timeout.Token).ConfigureAwait(false);
                    if (body is not null && coding is not null)
                    {
                        var decoded = CompressedBody.Decode(coding, body.Value, _options.MaxBodyBytes);
                        if (decoded.Broken is { } broken)
                        {
                            return Failed(current, FetchErrorKind.Truncated, $"{Describe(url, current)}: {broken}", status);
                        }
                        body = decoded.TooLarge ? null : new ReadOnlyMemory<byte>?(decoded.Bytes);
                    }
                    if (body is null)
                    {
                        return Failed(current, FetchErrorKind.TooLarge,
                            $"{Describe(url, current)}: body exceeds the {_options.MaxBodyBytes}-byte limit (counted after decompression); refused", status);
                    }
                    return new FetchResult
                    {
                        Outcome = FetchOutcome.Fetched,
                        FinalUrl = current,
                        Body = body.Value,
                        ContentType = response.Content.Headers.ContentType?.ToString(),
                        StatusCode = status,
                        ETag = Header(response.Headers, "ETag"),
                        LastModified = Header(response.Content.Headers, "Last-Modified"),
                        PermanentRedirect = permanent,
                        MaxAge = response.Headers.CacheControl?.MaxAge,
                    };
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            var cause = timeout.IsCancellationRequested
                ? $"no complete response within the {_options.Timeout.TotalSeconds:0.###} s timeout"
                : $"timed out ({ex.InnerException?.Message ?? ex.Message}); connect timeout is {_options.ConnectTimeout.TotalSeconds:0.###} s";
            return Failed(current, FetchErrorKind.Timeout, $"{Describe(url, current)}: {cause}");
        }
        catch (InvalidDataException ex)
        {
            // thrown by the gzip, Brotli and deflate decoders on a body that is not what its Content-Encoding says
            return Failed(current, FetchErrorKind.Truncated, $"{Describe(url, current)}: the compressed body is corrupt ({ex.Message.TrimEnd('.')})");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            if (ExceptionChain.Find<DestinationBlockedException>(ex) is { } blocked)
            {
                return Failed(current, FetchErrorKind.Blocked, $"{Describe(url, current)}: {blocked.Message}");
            }
            var (kind, cause) = NetworkFailure.Classify(ex, current);
            return Failed(current, kind, $"{Describe(url, current)}: {cause}");
        }
    }

    private static Uri? NextHop(Uri current, Uri? location)
    {
        if (location is null) return null;
        if (!Uri.TryCreate(current, location, out var next)) return null;
        return next.Scheme == Uri.UriSchemeHttp || next.Scheme == Uri.UriSchemeHttps ? next : null;
    }

    private static (FetchErrorKind Kind, string Hint) Classify(int status) => status switch
    {
        404 => (FetchErrorKind.NotFound, "not found"),
        410 => (FetchErrorKind.Gone, "gone for good"),
        429 => (FetchErrorKind.RateLimited, "rate limited"),
        >= 400 and < 500 => (FetchErrorKind.ClientError, "client error"),
        >= 500 => (FetchErrorKind.ServerError, "server error"),
        _ => (FetchErrorKind.ServerError, "unexpected status"),
    };

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string Describe(Uri requested, Uri current) =>
        requested == current ? requested.ToString() : $"{requested} (redirected to {current})";

    private static FetchResult Failed(Uri url, FetchErrorKind kind, string error, int? status = null) =>
        new() { Outcome = FetchOutcome.Failed, FinalUrl = url, ErrorKind = kind, Error = error, StatusCode = status };

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Feed {FeedUrl} moved permanently to {NewUrl} after {Hops} permanent redirect(s)")]
    private partial void LogPermanentRedirect(Uri feedUrl, Uri newUrl, int hops);
}
