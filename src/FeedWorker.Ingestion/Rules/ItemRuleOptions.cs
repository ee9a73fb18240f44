namespace FeedWorker.Ingestion.Rules;

/// <summary>
/// One keep or block rule as configured: a regular expression over a text field, or a date test on
/// <c>Published</c>. Bound from <c>FeedWorker:Rules:Keep:N</c>, <c>FeedWorker:Rules:Block:N</c> and a
/// feed's <c>KeepRules:N</c> / <c>BlockRules:N</c>.
/// </summary>
public sealed class ItemRuleOptions
{
    /// <summary><c>Title</c>, <c>Url</c>, <c>Author</c>, <c>Categories</c> (any category), <c>Content</c> (plain text) or <c>Published</c>.</summary>
    public string? Field { get; set; }
    /// <summary>A .NET regular expression (run without backtracking) for the text fields.</summary>
    public string? Pattern { get; set; }
    /// <summary>Published: matches items published before this instant.</summary>
    public DateTimeOffset? Before { get; set; }
    /// <summary>Published: matches items published after this instant.</summary>
    public DateTimeOffset? After { get; set; }
    /// <summary>Published: matches items published longer ago than this, at the time of the fetch.</summary>
    public TimeSpan? OlderThan { get; set; }
}

/// <summary><c>FeedWorker:Rules</c>: keep and block rules for every feed.</summary>
public sealed class GlobalRuleOptions
{
    public List<ItemRuleOptions> Keep { get; set; } = [];
    public List<ItemRuleOptions> Block { get; set; } = [];
}
