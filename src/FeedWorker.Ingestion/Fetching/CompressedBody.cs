using System.Buffers;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.GZip;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>What decoding a compressed body gave: the bytes, or why there are none.</summary>
internal readonly record struct DecodedBody(ReadOnlyMemory<byte> Bytes, bool TooLarge, string? Broken);

/// <summary>
/// Gzip and Brotli bodies, decoded here rather than by SocketsHttpHandler: .NET's GZipStream and BrotliStream
/// return the prefix of a truncated stream as if it were the whole body, so a feed cut mid-transfer would be
/// stored half. The compressed bytes are read first (bounded by the same limit), then decoded once, by decoders
/// that report a missing end of stream: SharpZipLib's for gzip (it also checks the CRC and length), the
/// runtime's BrotliDecoder for Brotli.
/// </summary>
internal static class CompressedBody
{
    /// <summary>What the fetcher asks for; deflate stays with the handler (rare for feeds, and not checked).</summary>
    public const string AcceptEncoding = "gzip, br";

    private const int Chunk = 81920;

    /// <summary>The gzip magic number and the deflate method byte.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> body) => body.Length >= 3 && body[0] == 0x1f && body[1] == 0x8b && body[2] == 0x08;

    /// <summary>The content coding this type decodes ("gzip" or "br"), or null when the handler already did or none applies.</summary>
    public static string? CodingOf(HttpContentHeaders headers) =>
        headers.ContentEncoding.LastOrDefault()?.ToLowerInvariant() switch
        {
            "gzip" or "x-gzip" => "gzip",
            "br" => "br",
            _ => null,
        };

    /// <summary>Decodes the whole compressed body, stopping as soon as the output passes <paramref name="maxBytes"/>.</summary>
    public static DecodedBody Decode(string coding, ReadOnlyMemory<byte> compressed, long maxBytes) =>
        coding == "gzip" ? DecodeGzip(compressed, maxBytes) : DecodeBrotli(compressed.Span, maxBytes);

    private static DecodedBody DecodeGzip(ReadOnlyMemory<byte> compressed, long maxBytes)
    {
        var input = MemoryMarshal.TryGetArray(compressed, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(compressed.ToArray(), writable: false);
        var output = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            using var gzip = new GZipInputStream(input);
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > maxBytes)
                {
                    return new DecodedBody(default, TooLarge: true, Broken: null);
                }
                output.Write(buffer, 0, read);
            }
            return new DecodedBody(output.GetBuffer().AsMemory(0, (int)output.Length), TooLarge: false, Broken: null);
        }
        catch (Exception e) when (e is SharpZipBaseException or EndOfStreamException)
        {
            return new DecodedBody(default, TooLarge: false, $"the gzip-compressed body is truncated or corrupt ({e.Message})");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static DecodedBody DecodeBrotli(ReadOnlySpan<byte> compressed, long maxBytes)
    {
        using var decoder = new BrotliDecoder();
        var output = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            while (true)
            {
                var status = decoder.Decompress(compressed, buffer, out var consumed, out var written);
                compressed = compressed[consumed..];
                if (output.Length + written > maxBytes)
                {
                    return new DecodedBody(default, TooLarge: true, Broken: null);
                }
                output.Write(buffer, 0, written);
                switch (status)
                {
                    case OperationStatus.Done:
                        return new DecodedBody(output.GetBuffer().AsMemory(0, (int)output.Length), TooLarge: false, Broken: null);
                    case OperationStatus.DestinationTooSmall:
                        continue;
                    case OperationStatus.NeedMoreData:
                        return new DecodedBody(default, TooLarge: false, "the Brotli-compressed body is truncated (the stream ends before its last block)");
                    default:
                        return new DecodedBody(default, TooLarge: false, "the Brotli-compressed body is corrupt");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
