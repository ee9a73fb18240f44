using System.Buffers;
using System.IO.Compression;
using System.Net.Http.Headers;
using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.GZip;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// Gzip and Brotli bodies, decoded here rather than by SocketsHttpHandler: .NET's GZipStream and
/// BrotliStream return the prefix of a truncated stream as if it were the whole body, so a feed cut
/// mid-transfer would be stored half. The body is decoded while streaming (so a compression bomb stops
/// at the size limit), the compressed bytes are kept, and once complete they are checked for the end
/// of the stream (and for gzip, its CRC and length) before the body is accepted.
/// </summary>
internal static class CompressedBody
{
    /// <summary>What the fetcher asks for; deflate stays with the handler (rare for feeds, and not checked).</summary>
    public const string AcceptEncoding = "gzip, br";

    /// <summary>The content coding this type decodes ("gzip" or "br"), or null when the handler already did or none applies.</summary>
    public static string? CodingOf(HttpContentHeaders headers) =>
        headers.ContentEncoding.LastOrDefault()?.ToLowerInvariant() switch
        {
            "gzip" or "x-gzip" => "gzip",
            "br" => "br",
            _ => null,
        };

    /// <summary>A decoding stream over <paramref name="raw"/>; every compressed byte it reads is copied to <paramref name="compressed"/>.</summary>
    public static Stream Decode(Stream raw, string coding, MemoryStream compressed)
    {
        var recording = new RecordingStream(raw, compressed);
        return coding == "gzip"
            ? new GZipStream(recording, CompressionMode.Decompress)
            : new BrotliStream(recording, CompressionMode.Decompress);
    }

    /// <summary>Null when the compressed body ends as its format requires; otherwise why not, in words.</summary>
    /// <param name="maxBytes">Decoding stops past this many bytes: the streamed decode already kept within it.</param>
    public static string? Verify(string coding, ReadOnlyMemory<byte> compressed, long maxBytes) =>
        coding == "gzip" ? VerifyGzip(compressed, maxBytes) : VerifyBrotli(compressed.Span, maxBytes);

    private static string? VerifyGzip(ReadOnlyMemory<byte> compressed, long maxBytes)
    {
        // SharpZipLib checks what GZipStream does not: a missing end of stream, footer, CRC or length.
        try
        {
            using var gzip = new GZipInputStream(new MemoryStream(compressed.ToArray(), writable: false));
            var buffer = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                long total = 0;
                int read;
                while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0 && (total += read) <= maxBytes)
                {
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return null;
        }
        catch (Exception e) when (e is SharpZipBaseException or EndOfStreamException)
        {
            return $"the gzip-compressed body is truncated or corrupt ({e.Message})";
        }
    }

    private static string? VerifyBrotli(ReadOnlySpan<byte> compressed, long maxBytes)
    {
        using var decoder = new BrotliDecoder();
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long total = 0;
            while (true)
            {
                var status = decoder.Decompress(compressed, buffer, out var consumed, out var written);
                compressed = compressed[consumed..];
                total += written;
                switch (status)
                {
                    case OperationStatus.Done:
                        return null;
                    case OperationStatus.DestinationTooSmall when total <= maxBytes:
                        continue;
                    case OperationStatus.DestinationTooSmall:
                        return null; // past the limit the streamed decode would have refused; nothing left to prove
                    case OperationStatus.NeedMoreData:
                        return "the Brotli-compressed body is truncated or corrupt (the stream ends before its last block)";
                    default:
                        return "the Brotli-compressed body is corrupt";
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A read-only pass-through that keeps a copy of what was read (hand-written: no library tees a stream).</summary>
    private sealed class RecordingStream(Stream inner, MemoryStream copy) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            copy.Write(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            copy.Write(buffer[..read]);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
