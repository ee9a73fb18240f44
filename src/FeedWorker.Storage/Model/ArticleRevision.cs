namespace FeedWorker.Storage.Model;

/// <summary>
/// A version of an article's content that a later change replaced: <see cref="Revision"/> is the
/// number the article had while this content was current.
/// </summary>
public sealed class ArticleRevision
{
    public long ArticleId { get; set; }
    public Article? Article { get; set; }
    public int Revision { get; set; }
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? ContentHtml { get; set; }
    public string? ContentText { get; set; }
    public string? ContentHash { get; set; }
    public DateTime ReplacedAt { get; set; }
}
