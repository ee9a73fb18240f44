using System.Text.RegularExpressions;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Rules;

public enum RuleField
{
    Title,
    Url,
    Author,
    Categories,
    Content,
    Published,
}

/// <summary>A compiled keep or block rule; <see cref="Path"/> is where it was configured.</summary>
public sealed class ItemRule
{
    /// <summary>
    /// A guard on top of NonBacktracking (linear in the input): no rule may hold a fetch longer than this
    /// per item, whatever the input size.
    /// </summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private readonly Regex? _pattern;
    private readonly DateTimeOffset? _before;
    private readonly DateTimeOffset? _after;
    private readonly TimeSpan? _olderThan;

    private ItemRule(string path, RuleField field, Regex? pattern, DateTimeOffset? before, DateTimeOffset? after, TimeSpan? olderThan)
    {
        Path = path;
        Field = field;
        _pattern = pattern;
        _before = before;
        _after = after;
        _olderThan = olderThan;
    }

    public string Path { get; }

    public RuleField Field { get; }

    /// <summary>The rule, or the reason it is invalid, prefixed with <paramref name="path"/>.</summary>
    public static (ItemRule? Rule, string? Error) Compile(ItemRuleOptions options, string path)
    {
        if (!Enum.TryParse<RuleField>(options.Field, ignoreCase: true, out var field) || !Enum.IsDefined(field) || int.TryParse(options.Field, out _))
        {
            return (null, $"{path}:Field: '{options.Field}' is not one of {string.Join(", ", Enum.GetNames<RuleField>())}");
        }
        if (field == RuleField.Published)
        {
            if (options.Pattern is not null) return (null, $"{path}:Pattern: the Published field takes Before, After or OlderThan, not a pattern");
            if (options.Before is null && options.After is null && options.OlderThan is null)
            {
                return (null, $"{path}: a Published rule needs Before, After or OlderThan");
            }
            if (options.OlderThan is { } age && age <= TimeSpan.Zero) return (null, $"{path}:OlderThan: must be positive");
            return (new ItemRule(path, field, null, options.Before, options.After, options.OlderThan), null);
        }
        if (options.Before is not null || options.After is not null || options.OlderThan is not null)
        {
            return (null, $"{path}: Before, After and OlderThan apply to the Published field only");
        }
        if (string.IsNullOrEmpty(options.Pattern)) return (null, $"{path}:Pattern: is missing");
        try
        {
            var regex = new Regex(options.Pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
            return (new ItemRule(path, field, regex, null, null, null), null);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            // NonBacktracking refuses backreferences, lookarounds and atomic groups: they are what can backtrack
            return (null, $"{path}:Pattern: '{options.Pattern}' is not a usable regular expression ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>Whether the item matches; a match that runs out of time counts as no match.</summary>
    public bool Matches(ParsedArticle item, DateTimeOffset now)
    {
        if (Field == RuleField.Published)
        {
            if (item.Published is not { } published) return false;
            return (_before is null || published < _before)
                && (_after is null || published > _after)
                && (_olderThan is null || now - published > _olderThan);
        }
        try
        {
            return Field switch
            {
                RuleField.Title => IsMatch(item.Title),
                RuleField.Url => IsMatch(item.Url),
                RuleField.Author => IsMatch(item.Author),
                RuleField.Categories => item.Categories.Any(IsMatch),
                RuleField.Content => IsMatch(item.ContentText ?? item.Summary),
                _ => false,
            };
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private bool IsMatch(string? text) => text is not null && _pattern!.IsMatch(text);
}
