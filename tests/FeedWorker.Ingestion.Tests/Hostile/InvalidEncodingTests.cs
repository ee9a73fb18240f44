using System.Text;

namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>Byte sequences that are not valid in the encoding the feed declares: replaced or refused, never a crash or a hang.</summary>
public sealed class InvalidEncodingTests : IDisposable
{
    private readonly IngestionPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    public static TheoryData<string, byte[]> BadSequences => new()
    {
        { "lone continuation byte", [0x80] },
        { "truncated two-byte sequence", [0xC3, 0x28] },
        { "overlong slash", [0xC0, 0xAF] },
        { "overlong NUL", [0xC0, 0x80] },
        { "UTF-16 surrogate encoded in UTF-8", [0xED, 0xA0, 0x80] },
        { "code point above U+10FFFF", [0xF4, 0x90, 0x80, 0x80] },
        { "bytes never valid in UTF-8", [0xFE, 0xFF] },
        { "truncated four-byte sequence", [0xF0, 0x9F, 0x98] },
        { "a megabyte of invalid bytes", Enumerable.Repeat((byte)0xFF, 1024 * 1024).ToArray() },
    };

    [Theory]
    [MemberData(nameof(BadSequences))]
    public async Task Invalid_utf8_in_text_is_replaced_or_refused(string name, byte[] bad)
    {
        var content = Concat("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>T</title><item><guid>g</guid><title>a", bad,
            "b</title><description>&lt;p&gt;c", bad, "d&lt;/p&gt;</description></item></channel></rss>");

        var result = await _pipeline.ProcessAsync(content);

        VolumeTests.AssertOkOrClearError(result, feed =>
        {
            var article = Assert.Single(feed.Articles);
            // The good text around the bad bytes survives; what the bad bytes became is valid UTF-16 (no lone surrogates).
            Assert.StartsWith("a", article.Title);
            Assert.EndsWith("b", article.Title);
            Assert.Contains("c", article.ContentText);
            Assert.Contains("d", article.ContentText);
            Assert.True(IsWellFormed(article.Title!) && IsWellFormed(article.ContentHtml!) && IsWellFormed(article.ContentText!), name);
        });
    }

    /// <summary>A stream cut in the middle of a multi-byte character and of the document.</summary>
    [Fact]
    public async Task Document_ending_inside_a_character_is_read_leniently_or_refused()
    {
        var content = Concat("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>T</title><item><guid>g</guid><title>caf", new byte[] { 0xC3 });

        var result = await _pipeline.ProcessAsync(content);

        VolumeTests.AssertOkOrClearError(result, feed => Assert.Equal("T", feed.Title));
    }

    [Fact]
    public async Task Utf16_declared_over_utf8_bytes_is_read_or_refused()
    {
        var content = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>Caf\u00e9</title><item><guid>g</guid><description>x</description></item></channel></rss>");

        var result = await _pipeline.ProcessAsync(content);

        VolumeTests.AssertOkOrClearError(result, feed => Assert.Equal("Caf\u00e9", feed.Title));
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }
        return true;
    }

    /// <summary>Text parts as UTF-8, byte parts as they are.</summary>
    private static byte[] Concat(params object[] parts) =>
        [.. parts.SelectMany(p => p is string text ? Encoding.UTF8.GetBytes(text) : (byte[])p)];
}
