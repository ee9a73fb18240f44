using FeedWorker.Ingestion.Parsing;
using FeedWorker.Ingestion.Rules;

namespace FeedWorker.Ingestion.Tests.Rules;

public sealed class ItemRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static ItemRules Compile(ItemRuleOptions[] keep, ItemRuleOptions[] block)
    {
        var (rules, errors) = ItemRules.Compile(keep, "K", block, "B");
        Assert.Empty(errors);
        return rules;
    }

    private static ParsedArticle Item(string title, DateTimeOffset? published = null, params string[] categories) =>
        new() { Title = title, Url = "https://example.org/" + title.Length, Published = published, Categories = categories };

    [Fact]
    public void Block_rules_drop_matching_items_and_keep_rules_keep_only_matching_ones()
    {
        var rules = Compile(
            [new() { Field = "Categories", Pattern = "^tech$" }],
            [new() { Field = "Title", Pattern = "(?i)sponsored" }]);
        var items = new[] { Item("Linux", null, "tech"), Item("Sponsored tech", null, "tech"), Item("Bread", null, "food"), Item("No categories") };

        var result = rules.Filter(items, Now);

        Assert.Equal(["Linux"], result.Kept.Select(i => i.Title));
        Assert.Equal(3, result.Filtered);
    }

    [Theory]
    [InlineData("2026-11-30T00:00:00Z", true)]   // one day old: kept
    [InlineData("2026-10-01T00:00:00Z", false)]  // older than 30 days
    [InlineData("2019-06-01T00:00:00Z", false)]  // before 2020
    [InlineData("2026-12-05T00:00:00Z", false)]  // after the cut-off
    public void Date_rules_compare_the_published_date(string published, bool kept)
    {
        var rules = Compile([], [
            new() { Field = "Published", OlderThan = TimeSpan.FromDays(30) },
            new() { Field = "Published", Before = DateTimeOffset.Parse("2020-01-01T00:00:00Z") },
            new() { Field = "Published", After = DateTimeOffset.Parse("2026-12-02T00:00:00Z") },
        ]);
        Assert.Equal(kept, rules.IsKept(Item("x", DateTimeOffset.Parse(published)), Now));
    }

    [Fact]
    public void An_item_without_a_date_never_matches_a_date_rule()
    {
        var rules = Compile([], [new() { Field = "Published", OlderThan = TimeSpan.FromDays(1) }]);
        Assert.True(rules.IsKept(Item("undated"), Now));
    }

    [Fact]
    public void A_catastrophic_pattern_over_a_megabyte_finishes()
    {
        var rules = Compile([], [new() { Field = "Title", Pattern = "^(a+)+$" }, new() { Field = "Title", Pattern = "(a|aa)*b" }]);
        // a backtracking engine needs exponential time for these; NonBacktracking is linear
        Assert.True(rules.IsKept(Item(new string('a', 1_000_000) + "!"), Now));
        Assert.False(rules.IsKept(Item(new string('a', 1_000_000) + "b"), Now));
    }

    [Theory]
    [InlineData("Title", "(a)\\1", "K:0:Pattern")]          // a backreference needs backtracking
    [InlineData("Title", "(?<=x)a", "K:0:Pattern")]         // lookbehind
    [InlineData("Title", "[", "K:0:Pattern")]
    [InlineData("Colour", "x", "K:0:Field: 'Colour'")]
    [InlineData("Published", "x", "K:0:Pattern: the Published field")]
    [InlineData("Title", null, "K:0:Pattern: is missing")]
    public void Bad_rules_are_reported_with_their_path(string field, string? pattern, string expected)
    {
        var (_, errors) = ItemRules.Compile([new ItemRuleOptions { Field = field, Pattern = pattern }], "K", [], "B");
        Assert.Contains(expected, Assert.Single(errors));
    }
}
