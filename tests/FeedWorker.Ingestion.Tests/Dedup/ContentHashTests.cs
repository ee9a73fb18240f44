using FeedWorker.Ingestion.Dedup;

namespace FeedWorker.Ingestion.Tests.Dedup;

public sealed class ContentHashTests
{
    private const string Text =
        "The quick brown fox jumps over the lazy dog while the city council debates a new plan for the water system tonight";

    [Fact]
    public void Hash_is_the_sha256_of_the_normalized_text()
    {
        // Computed outside .NET: printf '%s' "<Text lower-cased>" | sha256sum
        Assert.Equal("4042cd33bf5c66b39b5d5de633e147a9155d86fcbc17fc7f932bfd0f67bf2685", ContentHash.Of(Text));
    }

    [Theory]
    [InlineData("THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG WHILE THE CITY COUNCIL DEBATES A NEW PLAN FOR THE WATER SYSTEM TONIGHT")]
    [InlineData("  the quick brown fox jumps over the lazy dog\n\nwhile the city council debates a new plan for the water system tonight \t")]
    [InlineData("The\u00A0quick\u2003brown fox\r\njumps over the lazy dog while the city council\tdebates a new plan for the water system tonight")]
    [InlineData("The quick brown fox jumps over the lazy dog\u2028while the city council debates a new plan for the water system tonight")]
    public void Whitespace_and_case_variations_hash_alike(string variant)
    {
        Assert.Equal(ContentHash.Of(Text), ContentHash.Of(variant));
    }

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog while the city council debates a new plan for the water system today")]
    [InlineData("The quick brown fox jumps over the lazy dog, while the city council debates a new plan for the water system tonight")]
    [InlineData("The quick brown fox jumps over the lazy cat while the city council debates a new plan for the water system tonight")]
    [InlineData("Thequick brown fox jumps over the lazy dog while the city council debates a new plan for the water system tonight")]
    public void Different_text_hashes_differently(string other)
    {
        Assert.NotEqual(ContentHash.Of(Text), ContentHash.Of(other));
    }

    [Fact]
    public void Compatibility_forms_fold_only_where_the_runtime_normalizes()
    {
        var plain = ContentHash.Of("financial " + Text);
        // U+FB01 LATIN SMALL LIGATURE FI and full-width letters: NFKC maps both to plain ASCII.
        var compatibility = ContentHash.Of("\uFB01nancial " + Text.Replace("fox", "\uFF46\uFF4F\uFF58", StringComparison.Ordinal));

        // With InvariantGlobalization=true .NET's Normalize is a silent no-op; this pins which of the
        // two behaviours the process has, because the stored hashes depend on it.
        if (NormalizedText.IsNormalizationAvailable)
            Assert.Equal(plain, compatibility);
        else
            Assert.NotEqual(plain, compatibility);
    }

    [Fact]
    public void Text_shorter_than_the_minimum_gives_null()
    {
        var words = Enumerable.Range(0, ContentHash.MinimumWords).Select(i => $"word{i}").ToArray();

        Assert.Null(ContentHash.Of(string.Join(' ', words[..^1])));
        Assert.NotNull(ContentHash.Of(string.Join(' ', words)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t ")]
    [InlineData("Comments")]
    [InlineData("Continue reading on our website.")]
    public void Empty_or_stub_text_gives_null(string? text)
    {
        Assert.Null(ContentHash.Of(text));
    }
}
