using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Rules;

/// <summary>The items a rule set lets through, and how many it filtered out.</summary>
public sealed record RuleFilterResult(IReadOnlyList<ParsedArticle> Kept, int Filtered);

/// <summary>
/// The keep and block rules that apply to one feed (global and its own), applied between parsing and
/// storing: an item any block rule matches is dropped; when there are keep rules, only items that one
/// of them matches are kept.
/// </summary>
public sealed class ItemRules(IReadOnlyList<ItemRule> keep, IReadOnlyList<ItemRule> block)
{
    public static ItemRules None { get; } = new([], []);

    public IReadOnlyList<ItemRule> Keep { get; } = keep;

    public IReadOnlyList<ItemRule> Block { get; } = block;

    public ItemRules With(ItemRules other) =>
        other.Keep.Count + other.Block.Count == 0 ? this : new ItemRules([.. Keep, .. other.Keep], [.. Block, .. other.Block]);

    public RuleFilterResult Filter(IReadOnlyList<ParsedArticle> items, DateTimeOffset now)
    {
        if (Keep.Count == 0 && Block.Count == 0) return new RuleFilterResult(items, 0);
        var kept = items.Where(item => IsKept(item, now)).ToList();
        return new RuleFilterResult(kept, items.Count - kept.Count);
    }

    public bool IsKept(ParsedArticle item, DateTimeOffset now) =>
        (Keep.Count == 0 || Keep.Any(rule => rule.Matches(item, now))) && !Block.Any(rule => rule.Matches(item, now));

    /// <summary>Compiles configured rules; every invalid one is reported with its configuration path.</summary>
    public static (ItemRules Rules, IReadOnlyList<string> Errors) Compile(
        IReadOnlyList<ItemRuleOptions> keep, string keepPath, IReadOnlyList<ItemRuleOptions> block, string blockPath)
    {
        var errors = new List<string>();
        List<ItemRule> CompileAll(IReadOnlyList<ItemRuleOptions> rules, string path)
        {
            var compiled = new List<ItemRule>();
            for (var i = 0; i < rules.Count; i++)
            {
                var (rule, error) = ItemRule.Compile(rules[i], $"{path}:{i}");
                if (rule is not null) compiled.Add(rule);
                if (error is not null) errors.Add(error);
            }
            return compiled;
        }
        var rules = new ItemRules(CompileAll(keep, keepPath), CompileAll(block, blockPath));
        return (rules, errors);
    }
}
