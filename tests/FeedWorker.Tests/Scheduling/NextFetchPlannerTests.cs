using FeedWorker.Ingestion.Fetching;
using FeedWorker.Scheduling;

namespace FeedWorker.Tests.Scheduling;

public sealed class NextFetchPlannerTests
{
    private static readonly SchedulingOptions Options = new()
    {
        DefaultInterval = TimeSpan.FromMinutes(15),
        MinimumInterval = TimeSpan.FromMinutes(5),
        MaximumInterval = TimeSpan.FromHours(24),
        JitterFraction = 0.1,
    };

    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly NextFetchPlanner Planner = NewPlanner(7);

    private static NextFetchPlanner NewPlanner(int seed) =>
        new(Microsoft.Extensions.Options.Options.Create(Options), new FetchBackoff(new Random(seed)), new Random(seed));

    private static FetchHistory Healthy(TimeSpan? hint = null, int? lastWeek = null) =>
        new(TimeSpan.FromMinutes(15), hint, null, 0, lastWeek);

    [Fact]
    public void A_healthy_feed_with_no_hints_keeps_its_interval() =>
        Assert.Equal(TimeSpan.FromMinutes(15), Planner.RegularInterval(Healthy()));

    [Fact]
    public void Publisher_hints_lengthen_but_never_shorten_the_interval()
    {
        Assert.Equal(TimeSpan.FromMinutes(60), Planner.RegularInterval(Healthy(hint: TimeSpan.FromMinutes(60))));
        Assert.Equal(TimeSpan.FromMinutes(15), Planner.RegularInterval(Healthy(hint: TimeSpan.FromMinutes(2))));
        Assert.Equal(TimeSpan.FromHours(24), Planner.RegularInterval(Healthy(hint: TimeSpan.FromDays(30))));
    }

    [Fact]
    public void A_configured_interval_below_the_minimum_is_raised_to_it() =>
        Assert.Equal(TimeSpan.FromMinutes(5), Planner.RegularInterval(new FetchHistory(TimeSpan.FromSeconds(10), null, null, 0, null)));

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    public void Errors_back_off_exponentially(int errors, int expectedMinutes)
    {
        var wait = Planner.Plan(new FetchHistory(TimeSpan.FromMinutes(15), null, null, errors, null), Now).At - Now;
        Assert.InRange(wait, TimeSpan.FromMinutes(expectedMinutes * 0.8), TimeSpan.FromMinutes(expectedMinutes * 1.2));
    }

    [Fact]
    public void Backoff_stops_at_a_day()
    {
        // Its own planner: the shared one's random draws depend on which tests ran before it.
        var planner = NewPlanner(1);
        var waits = Enumerable.Range(0, 100).Select(_ => planner.Plan(new FetchHistory(TimeSpan.FromMinutes(15), null, null, 30, null), Now).At - Now).ToList();

        // jitter above the cap is cut back to a day; below it, it still spreads feeds that failed together
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromDays(0.8), TimeSpan.FromDays(1)));
        Assert.Contains(TimeSpan.FromDays(1), waits);
    }

    [Fact]
    public void Retry_after_is_honoured_even_when_longer_than_the_backoff() =>
        Assert.Equal(TimeSpan.FromHours(3), Planner.Plan(new FetchHistory(TimeSpan.FromMinutes(15), null, TimeSpan.FromHours(3), 1, null), Now).At - Now);

    [Fact]
    public void The_regular_interval_is_kept_for_the_repeating_trigger_during_backoff() =>
        Assert.Equal(TimeSpan.FromMinutes(15), Planner.Plan(new FetchHistory(TimeSpan.FromMinutes(15), null, null, 3, null), Now).Interval);

    [Theory]
    [InlineData(7 * 24 * 60, 15)] // one a minute: never below the configured interval
    [InlineData(7 * 24, 60)]      // one an hour
    [InlineData(7, 1440)]         // one a day
    [InlineData(0, 1440)]         // silent for a week: the maximum
    public void Rarely_publishing_feeds_are_polled_less_often(int articlesLastWeek, int expectedMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), Planner.RegularInterval(Healthy(lastWeek: articlesLastWeek)));

    [Fact]
    public void Jitter_spreads_runs_within_the_fraction_either_way()
    {
        var planner = NewPlanner(1);
        var runs = Enumerable.Range(0, 500).Select(_ => planner.Plan(Healthy(), Now).At - Now).ToList();

        Assert.All(runs, r => Assert.InRange(r, TimeSpan.FromMinutes(13.5), TimeSpan.FromMinutes(16.5)));
        Assert.True(runs.Distinct().Count() > 400, "runs should spread, not bunch");
        Assert.True(runs.Min() < TimeSpan.FromMinutes(14) && runs.Max() > TimeSpan.FromMinutes(16), "jitter should use most of its range");
    }
}
