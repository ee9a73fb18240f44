namespace FeedWorker.Ingestion.Tests;

/// <summary>The text of each <see cref="FeedErrorKind"/>: what <c>feeds.last_error_kind</c> holds and the metric label.</summary>
public sealed class FeedErrorKindTests
{
    [Fact]
    public void Every_kind_has_its_own_text()
    {
        var texts = Enum.GetValues<FeedErrorKind>().Select(FeedErrorKindText.Of).ToList();

        Assert.All(texts, t => Assert.False(string.IsNullOrWhiteSpace(t)));
        Assert.Equal(texts.Count, texts.Distinct(StringComparer.Ordinal).Count());
        // distinct for PostgreSQL's case-insensitive comparisons and dashboards too
        Assert.Equal(texts.Count, texts.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    /// <summary>Users' databases and dashboards hold these texts already: a change needs a migration that rewrites them.</summary>
    [Theory]
    [InlineData(FeedErrorKind.ClientError, "ClientError")]
    [InlineData(FeedErrorKind.ServerError, "ServerError")]
    [InlineData(FeedErrorKind.Gone, "Gone")]
    [InlineData(FeedErrorKind.Timeout, "Timeout")]
    [InlineData(FeedErrorKind.Network, "Network")]
    [InlineData(FeedErrorKind.TooLarge, "TooLarge")]
    [InlineData(FeedErrorKind.TooManyRedirects, "TooManyRedirects")]
    [InlineData(FeedErrorKind.InvalidUrl, "InvalidUrl")]
    [InlineData(FeedErrorKind.NotFound, "NotFound")]
    [InlineData(FeedErrorKind.RateLimited, "RateLimited")]
    [InlineData(FeedErrorKind.Blocked, "Blocked")]
    [InlineData(FeedErrorKind.NameResolution, "NameResolution")]
    [InlineData(FeedErrorKind.ConnectionRefused, "ConnectionRefused")]
    [InlineData(FeedErrorKind.ConnectionReset, "ConnectionReset")]
    [InlineData(FeedErrorKind.Tls, "Tls")]
    [InlineData(FeedErrorKind.Protocol, "Protocol")]
    [InlineData(FeedErrorKind.Unauthorized, "Unauthorized")]
    [InlineData(FeedErrorKind.Truncated, "Truncated")]
    [InlineData(FeedErrorKind.Parse, "parse")]
    [InlineData(FeedErrorKind.Database, "database")]
    [InlineData(FeedErrorKind.Internal, "internal")]
    public void Each_kind_keeps_the_text_already_stored(FeedErrorKind kind, string text) =>
        Assert.Equal(text, FeedErrorKindText.Of(kind));

    [Fact]
    public void A_value_outside_the_enum_has_no_text()
    {
        Assert.ThrowsAny<InvalidOperationException>(() => FeedErrorKindText.Of((FeedErrorKind)999));
    }
}
