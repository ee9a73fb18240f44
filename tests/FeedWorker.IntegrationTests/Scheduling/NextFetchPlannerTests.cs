using FeedWorker.Scheduling;

namespace FeedWorker.IntegrationTests.Scheduling;

public sealed class NextFetchPlannerTests
{
    private static readonly SchedulingOptions Options = new()
    {
        DefaultInterval = TimeSpan.FromMinutes(15),
        MinimumInterval = TimeSpan.FromMinutes(5),
        MaximumInterval = TimeSpan.FromHours(24),
        JitterFraction = 0.1,
    };

    private static readonly NextFetchPlanner Planner = new(Options, new Random(7));

    private static FetchHistory Healthy(TimeSpan? hint = null, int? lastWeek = null) =>
        new(TimeSpan.FromMinutes(15), hint, null, 0, lastWeek);

    [Fact]
    public void A_healthy_feed_with_no_hints_keeps_its_interval() =>
        Assert.Equal(TimeSpan.FromMinutes(15), Planner.Interval(Healthy()));

    [Fact]
    public void Publisher_hints_lengthen_but_never_shorten_the_interval()
    {
        Assert.Equal(TimeSpan.FromMinutes(60), Planner.Interval(Healthy(hint: TimeSpan.FromMinutes(60))));
        Assert.Equal(TimeSpan.FromMinutes(15), Planner.Interval(Healthy(hint: TimeSpan.FromMinutes(2))));
        Assert.Equal(TimeSpan.FromHours(24), Planner.Interval(Healthy(hint: TimeSpan.FromDays(30))));
    }

    [Fact]
    public void A_configured_interval_below_the_minimum_is_raised_to_it() =>
        Assert.Equal(TimeSpan.FromMinutes(5), Planner.Interval(new FetchHistory(TimeSpan.FromSeconds(10), null, null, 0, null)));

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(20, 1440)]
    public void Errors_back_off_exponentially_up_to_a_day(int errors, int expectedMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), Planner.Interval(new FetchHistory(TimeSpan.FromMinutes(15), null, null, errors, null)));

    [Fact]
    public void Retry_after_is_honoured_even_when_longer_than_the_backoff() =>
        Assert.Equal(TimeSpan.FromHours(3), Planner.Interval(new FetchHistory(TimeSpan.FromMinutes(15), null, TimeSpan.FromHours(3), 1, null)));

    [Theory]
    [InlineData(7 * 24 * 60, 15)] // one a minute: never below the configured interval
    [InlineData(7 * 24, 60)]      // one an hour
    [InlineData(7, 1440)]         // one a day
    [InlineData(0, 1440)]         // silent for a week: the maximum
    public void Rarely_publishing_feeds_are_polled_less_often(int articlesLastWeek, int expectedMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), Planner.Interval(Healthy(lastWeek: articlesLastWeek)));

    [Fact]
    public void Jitter_spreads_runs_within_the_fraction_either_way()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var planner = new NextFetchPlanner(Options, new Random(1));
        var runs = Enumerable.Range(0, 500).Select(_ => planner.Plan(Healthy(), now) - now).ToList();

        Assert.All(runs, r => Assert.InRange(r, TimeSpan.FromMinutes(13.5), TimeSpan.FromMinutes(16.5)));
        Assert.True(runs.Distinct().Count() > 400, "runs should spread, not bunch");
        Assert.True(runs.Min() < TimeSpan.FromMinutes(14) && runs.Max() > TimeSpan.FromMinutes(16), "jitter should use most of its range");
    }
}
