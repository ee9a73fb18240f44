using FeedWorker.Ingestion.Cleaning;

namespace FeedWorker.Ingestion.Tests.Cleaning;

public sealed class TrackingParameterFilterTests
{
    [Theory]
    [InlineData("https://a.example/p?utm_source=rss&utm_medium=rss", "https://a.example/p")]
    [InlineData("https://a.example/p?id=7&utm_campaign=x&Page=2&fbclid=1#c3", "https://a.example/p?id=7&Page=2#c3")]
    [InlineData("https://a.example/p?gclid=1&mc_cid=2&mc_eid=3&_hsenc=4&_hsmi=5#top", "https://a.example/p#top")]
    [InlineData("https://a.example/p?b=2&a=1", "https://a.example/p?b=2&a=1")]
    [InlineData("https://a.example/p?ref=main&UTM_Source=x", "https://a.example/p?ref=main")]
    [InlineData("https://a.example/p#utm_source=x", "https://a.example/p#utm_source=x")]
    [InlineData("mailto:x@a.example?utm_source=x", "mailto:x@a.example?utm_source=x")]
    public void Removes_only_tracking_parameters(string url, string expected)
    {
        Assert.Equal(expected, TrackingParameterFilter.WithoutTracking(url));
    }
}
