namespace FeedWorker.Ingestion.Fetching;

/// <summary>Reads a stream into memory, giving up as soon as it passes a byte limit.</summary>
internal static class LimitedReader
{
    /// <returns>The bytes, or null when the stream is longer than <paramref name="maxBytes"/>.</returns>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        // Not disposed: the result wraps its buffer (a MemoryStream holds no unmanaged resource).
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
    }
}
