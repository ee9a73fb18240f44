using System.Buffers;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>Reads a stream into memory, giving up as soon as it passes a byte limit.</summary>
internal static class LimitedReader
{
    /// <param name="expectedLength">
    /// The length the source announces (Content-Length, a file's size), if any: the buffer starts at that size, so a
    /// body is copied once instead of through every doubling of a growing buffer. Only a hint: the limit still counts
    /// what arrives.
    /// </param>
    /// <returns>The bytes, or null when the stream is longer than <paramref name="maxBytes"/>.</returns>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(Stream stream, long maxBytes, long? expectedLength, CancellationToken cancellationToken)
    {
        // Not disposed: the result wraps its buffer (a MemoryStream holds no unmanaged resource).
        var buffer = new MemoryStream(expectedLength is > 0 and var length && length <= maxBytes ? (int)length : 0);
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
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
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
