namespace FeedWorker.Ingestion.Parsing;

/// <summary>One item of a feed, normalized. URLs are absolute; titles and summaries are plain text.</summary>
public sealed record ParsedArticle
{
    public string? Guid { get; init; }
    public string? Url { get; init; }
    public string? Title { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? Published { get; init; }
    public DateTimeOffset? Updated { get; init; }
    /// <summary>Plain text.</summary>
    public string? Summary { get; init; }
    /// <summary>The item's HTML body: as published after parsing, cleaned after the cleaning stage.</summary>
    public string? ContentHtml { get; init; }
    /// <summary>Plain text of <see cref="ContentHtml"/>, set by the cleaning stage.</summary>
    public string? ContentText { get; init; }
    public string? Language { get; init; }
    /// <summary>Base for relative URLs inside <see cref="ContentHtml"/>: the xml:base in scope, else the document URL.</summary>
    public Uri? BaseUrl { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<ArticleEnclosure> Enclosures { get; init; } = [];
    /// <summary>
    /// The item as published, before cleaning (<see cref="Dedup.ItemFingerprint.BeforeCleaning"/>): set when the document is
    /// parsed, so that an item stored with the same one is not cleaned again. Null for an article built elsewhere.
    /// </summary>
    public string? SourceFingerprint { get; init; }
}

/// <summary>An attached file: RSS enclosure, Atom rel="enclosure" link, media:content, media:thumbnail, JSON Feed attachment.</summary>
public sealed record ArticleEnclosure(string Url, string? Type, long? Length);
