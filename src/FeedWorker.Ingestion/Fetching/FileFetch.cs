namespace FeedWorker.Ingestion.Fetching;

/// <summary>Reads a local feed (offline use and tests) under the same size limit as HTTP bodies.</summary>
internal static class FileFetch
{
    public static async Task<FetchResult> ReadAsync(Uri url, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(url.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                var body = await LimitedReader.ReadAsync(stream, maxBytes, stream.CanSeek ? stream.Length : null, cancellationToken).ConfigureAwait(false);
                return body is { } bytes
                    ? new FetchResult { Outcome = FetchOutcome.Fetched, FinalUrl = url, Body = bytes }
                    : Failed(url, FeedErrorKind.TooLarge, $"{url.LocalPath}: file exceeds the {maxBytes}-byte limit");
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failed(url, FeedErrorKind.NotFound, $"{url.LocalPath}: file not found");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed(url, FeedErrorKind.Network, $"{url.LocalPath}: cannot read ({ex.Message})");
        }
    }

    private static FetchResult Failed(Uri url, FeedErrorKind kind, string error) =>
        new() { Outcome = FetchOutcome.Failed, FinalUrl = url, ErrorKind = kind, Error = error };
}
