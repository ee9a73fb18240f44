using FeedWorker.Ingestion.Fetching;

namespace FeedWorker.Ingestion.Tests.Fetching;

public sealed class FetchBackoffTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Base = TimeSpan.FromMinutes(5);

    [Fact]
    public void Without_errors_the_regular_interval_applies_without_jitter()
    {
        Assert.Equal(Now + Base, FetchBackoff.Compute(0, null, Now, Base, jitter: 1));
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(4, 80)]
    public void Errors_double_the_delay(int errors, int expectedMinutes)
    {
        Assert.Equal(Now + TimeSpan.FromMinutes(expectedMinutes), FetchBackoff.Compute(errors, null, Now, Base, jitter: 0));
    }

    [Fact]
    public void Jitter_moves_the_delay_by_at_most_twenty_percent()
    {
        Assert.Equal(Now + TimeSpan.FromMinutes(32), FetchBackoff.Compute(3, null, Now, Base, jitter: -1));
        Assert.Equal(Now + TimeSpan.FromMinutes(48), FetchBackoff.Compute(3, null, Now, Base, jitter: 1));
    }

    [Fact]
    public void Delay_is_capped_at_a_day()
    {
        Assert.Equal(Now + TimeSpan.FromDays(1), FetchBackoff.Compute(10, null, Now, Base, jitter: 1));
        Assert.Equal(Now + TimeSpan.FromDays(1), FetchBackoff.Compute(int.MaxValue, null, Now, Base, jitter: 0));
        Assert.Equal(Now + TimeSpan.FromDays(0.8), FetchBackoff.Compute(int.MaxValue, null, Now, Base, jitter: -1));
    }

    [Fact]
    public void Retry_after_longer_than_the_backoff_wins()
    {
        Assert.Equal(Now + TimeSpan.FromHours(3), FetchBackoff.Compute(1, TimeSpan.FromHours(3), Now, Base, jitter: 0));
    }

    [Fact]
    public void Retry_after_shorter_than_the_backoff_does_not_shorten_it()
    {
        Assert.Equal(Now + TimeSpan.FromMinutes(40), FetchBackoff.Compute(3, TimeSpan.FromSeconds(30), Now, Base, jitter: 0));
    }

    [Fact]
    public void Hostile_retry_after_is_capped_at_a_day()
    {
        Assert.Equal(Now + TimeSpan.FromDays(1), FetchBackoff.Compute(1, TimeSpan.FromDays(365), Now, Base, jitter: 0));
    }

    [Fact]
    public void Random_jitter_stays_in_bounds_and_spreads_attempts()
    {
        var backoff = new FetchBackoff(new Random(42));
        var attempts = Enumerable.Range(0, 200).Select(_ => backoff.NextAttempt(2, null, Now, Base)).ToList();

        Assert.All(attempts, a => Assert.InRange(a, Now + TimeSpan.FromMinutes(16), Now + TimeSpan.FromMinutes(24)));
        Assert.True(attempts.Distinct().Count() > 100);
    }
}
