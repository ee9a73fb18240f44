namespace FeedWorker.Ingestion.Fetching;

/// <summary>First cut: plain HttpClient GET, file:// and paths. The hardened fetcher replaces this.</summary>
public sealed class FeedFetcher(HttpClient http) : IFeedFetcher
{
    public async Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        var url = FeedLocation.Resolve(request.Url);
        if (url.IsFile)
        {
            var bytes = await File.ReadAllBytesAsync(url.LocalPath, cancellationToken);
            return new FetchResult { Outcome = FetchOutcome.Fetched, FinalUrl = url, Body = bytes };
        }
        using var response = await http.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new FetchResult
        {
            Outcome = response.IsSuccessStatusCode ? FetchOutcome.Fetched : FetchOutcome.Failed,
            FinalUrl = response.RequestMessage?.RequestUri ?? url,
            Body = body,
            ContentType = response.Content.Headers.ContentType?.ToString(),
            StatusCode = (int)response.StatusCode,
            Error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}",
        };
    }
}
