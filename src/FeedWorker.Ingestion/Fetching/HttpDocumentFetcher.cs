using System.Net;
using System.Net.Http.Headers;
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
    DestinationPolicy destinations,
    IOptions<FetcherOptions> options,
    TimeProvider time,
    ILogger<HttpDocumentFetcher> logger)
{
    private readonly FetcherOptions _options = options.Value;

    /// <param name="feedOptions">The feed's credentials and headers, sent only to its own origin; null: none.</param>
    public async Task<FetchResult> FetchAsync(
        HttpClient client, Uri url, string accept, string? etag, string? lastModified, FeedRequestOptions? feedOptions,
        CancellationToken cancellationToken)
    {
        url = UrlUserInfo.Strip(url);
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return Failed(url, FeedErrorKind.InvalidUrl, $"{url}: only http and https URLs can be fetched");
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
                // as browsers do: another origin gets neither the credentials nor the custom headers
                var credentialsSent = feedOptions is not null && feedOptions.HasCredentials && feedOptions.IsOwnOrigin(current);
                if (credentialsSent) AddFeedHeaders(request, feedOptions!);
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
                        return Failed(current, FeedErrorKind.InvalidUrl, $"{Describe(url, current)}: HTTP {status} redirect without a usable http(s) Location");
                    }
                    if (chain.Contains(next))
                    {
                        return Failed(current, FeedErrorKind.TooManyRedirects,
                            $"{url}: redirect loop {string.Join(" -> ", chain.Append(next))}");
                    }
                    if (chain.Count > _options.MaxRedirects)
                    {
                        return Failed(current, FeedErrorKind.TooManyRedirects,
                            $"{url}: more than {_options.MaxRedirects} redirects ({string.Join(" -> ", chain.Append(next))})");
                    }
                    if (await LeavesForInternalAsync(url, next, timeout.Token).ConfigureAwait(false) is { } address)
                    {
                        return Failed(current, FeedErrorKind.Blocked,
                            $"{url}: refused the redirect to {next}: it leaves {url.Host} for {address}, an internal address (loopback, private, link-local, CGNAT, multicast, unspecified or metadata); allowlist it in FeedWorker:FullContent:Allowlist to permit", status);
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
                        Error = status is 401 or 403
                            ? $"{Describe(url, current)}: HTTP {status} {response.ReasonPhrase} ({CredentialsHint(credentialsSent, feedOptions)})"
                            : $"{Describe(url, current)}: HTTP {status} {response.ReasonPhrase} ({hint}{retryText})",
                    };
                }

                if (response.Content.Headers.ContentLength is long declared && declared > _options.MaxBodyBytes)
                {
                    return Failed(current, FeedErrorKind.TooLarge,
                        $"{Describe(url, current)}: Content-Length {declared} bytes exceeds the {_options.MaxBodyBytes}-byte limit", status);
                }

                var coding = CompressedBody.CodingOf(response.Content.Headers);
                var raw = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                await using (raw.ConfigureAwait(false))
                {
                    ReadOnlyMemory<byte>? body;
                    try
                    {
                        body = await LimitedReader.ReadAsync(raw, _options.MaxBodyBytes, response.Content.Headers.ContentLength, timeout.Token).ConfigureAwait(false);
                    }
                    catch (HttpIOException ex) when (ex.HttpRequestError == HttpRequestError.ResponseEnded
                        && response.Content.Headers.ContentLength is long expected)
                    {
                        return Failed(current, FeedErrorKind.Truncated,
                            $"{Describe(url, current)}: the body ended before its Content-Length of {expected} bytes (cut mid-transfer)", status);
                    }
                    // a gzip body inside the gzip coding (servers that compress twice, or a gzip file served as a feed)
                    for (var layer = 0; body is not null && (coding is not null || (layer < 2 && CompressedBody.IsGzip(body.Value.Span))); layer++)
                    {
                        var decoded = CompressedBody.Decode(coding ?? "gzip", body.Value, _options.MaxBodyBytes);
                        coding = null;
                        if (decoded.Broken is { } broken)
                        {
                            return Failed(current, FeedErrorKind.Truncated, $"{Describe(url, current)}: {broken}", status);
                        }
                        body = decoded.TooLarge ? null : new ReadOnlyMemory<byte>?(decoded.Bytes);
                    }
                    if (body is null)
                    {
                        return Failed(current, FeedErrorKind.TooLarge,
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
            return Failed(current, FeedErrorKind.Timeout, $"{Describe(url, current)}: {cause}");
        }
        catch (InvalidDataException ex)
        {
            // thrown by the gzip, Brotli and deflate decoders on a body that is not what its Content-Encoding says
            return Failed(current, FeedErrorKind.Truncated, $"{Describe(url, current)}: the compressed body is corrupt ({ex.Message.TrimEnd('.')})");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            if (ExceptionChain.Find<DestinationBlockedException>(ex) is { } blocked)
            {
                return Failed(current, FeedErrorKind.Blocked, $"{Describe(url, current)}: {blocked.Message}");
            }
            var (kind, cause) = NetworkFailure.Classify(ex, current);
            return Failed(current, kind, $"{Describe(url, current)}: {cause}");
        }
    }

    private static Uri? NextHop(Uri current, Uri? location)
    {
        if (location is null) return null;
        if (!Uri.TryCreate(current, location, out var next)) return null;
        // credentials in a Location are never used, stored or logged
        return next.Scheme == Uri.UriSchemeHttp || next.Scheme == Uri.UriSchemeHttps ? UrlUserInfo.Strip(next) : null;
    }

    private static void AddFeedHeaders(HttpRequestMessage request, FeedRequestOptions feed)
    {
        if (feed.Username is not null || feed.Password is not null)
        {
            var pair = System.Text.Encoding.UTF8.GetBytes($"{feed.Username}:{feed.Password}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
        }
        foreach (var (name, value) in feed.Headers)
        {
            request.Headers.Remove(name); // a feed's own User-Agent or Accept replaces the default
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private static string CredentialsHint(bool sent, FeedRequestOptions? feed) =>
        sent ? "the server refused the credentials configured for this feed (Username/Password or Headers)"
        : feed is { HasCredentials: true } ? "credentials required: this feed's credentials are not sent to another origin"
        : "credentials required and none are configured for this feed (set its Username and Password, or Headers)";

    /// <summary>
    /// A redirect that leaves the feed's host for an internal address meets the full-content destination
    /// policy (and its allowlist); a feed configured with an internal address stays allowed on its own host.
    /// A name that does not resolve here passes: the request then fails, or a proxy resolves it.
    /// </summary>
    private async Task<System.Net.IPAddress?> LeavesForInternalAsync(Uri feed, Uri next, CancellationToken cancellationToken)
    {
        if (string.Equals(next.IdnHost, feed.IdnHost, StringComparison.OrdinalIgnoreCase) || destinations.IsHostAllowlisted(next.IdnHost))
        {
            return null;
        }
        System.Net.IPAddress[] addresses;
        if (System.Net.IPAddress.TryParse(next.IdnHost.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await System.Net.Dns.GetHostAddressesAsync(next.IdnHost, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException)
            {
                return null;
            }
        }
        return addresses.FirstOrDefault(destinations.IsRefused);
    }

    private static (FeedErrorKind Kind, string Hint) Classify(int status) => status switch
    {
        401 or 403 => (FeedErrorKind.Unauthorized, "credentials refused or missing"),
        404 => (FeedErrorKind.NotFound, "not found"),
        410 => (FeedErrorKind.Gone, "gone for good"),
        429 => (FeedErrorKind.RateLimited, "rate limited"),
        >= 400 and < 500 => (FeedErrorKind.ClientError, "client error"),
        >= 500 => (FeedErrorKind.ServerError, "server error"),
        _ => (FeedErrorKind.ServerError, "unexpected status"),
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

    private static FetchResult Failed(Uri url, FeedErrorKind kind, string error, int? status = null) =>
        new() { Outcome = FetchOutcome.Failed, FinalUrl = url, ErrorKind = kind, Error = error, StatusCode = status };

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Feed {FeedUrl} moved permanently to {NewUrl} after {Hops} permanent redirect(s)")]
    private partial void LogPermanentRedirect(Uri feedUrl, Uri newUrl, int hops);
}
