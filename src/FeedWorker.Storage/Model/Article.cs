using NpgsqlTypes;

namespace FeedWorker.Storage.Model;

/// <summary>One story, however many feeds carried it (see <see cref="FeedArticle"/>).</summary>
public sealed class Article
{
    public long Id { get; set; }
    public string? Guid { get; set; }
    public string? Url { get; set; }
    public string? CanonicalUrl { get; set; }
    public string? Title { get; set; }
    public string? Author { get; set; }
    public DateTime? PublishedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public string? Summary { get; set; }
    public string? ContentHtml { get; set; }
    public string? ContentText { get; set; }
    public string? Language { get; set; }
    public List<string> Categories { get; set; } = [];
    /// <summary>JSON array of {url, type, length}.</summary>
    public string Enclosures { get; set; } = "[]";
    public string? ContentHash { get; set; }
    public long? Simhash { get; set; }
    public int? SimhashBand0 { get; set; }
    public int? SimhashBand1 { get; set; }
    public int? SimhashBand2 { get; set; }
    public int? SimhashBand3 { get; set; }
    public long? DuplicateOf { get; set; }
    public Article? Original { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    public int Revision { get; set; } = 1;
    /// <summary>The text search configuration (regconfig oid) <see cref="SearchVector"/> is built with.</summary>
    public uint? SearchConfig { get; set; }
    /// <summary>Written by the <c>articles_search_vector</c> trigger from <see cref="SearchConfig"/>.</summary>
    public NpgsqlTsVector? SearchVector { get; set; }

    public List<FeedArticle> FeedArticles { get; set; } = [];
}
