using FeedWorker.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace FeedWorker.Storage;

/// <summary>
/// Owns the schema and its migrations. The hot write path does not go through change tracking:
/// see <see cref="ArticleStore"/>.
/// </summary>
public sealed class FeedWorkerDbContext(DbContextOptions<FeedWorkerDbContext> options) : DbContext(options)
{
    public DbSet<Feed> Feeds => Set<Feed>();
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<FeedArticle> FeedArticles => Set<FeedArticle>();
    public DbSet<PrunedItem> PrunedItems => Set<PrunedItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Feed>(feed =>
        {
            feed.ToTable(t => t.HasCheckConstraint("ck_feeds_origin", "origin IN ('config', 'opml', 'adhoc')"));
            feed.Property(f => f.Id).UseIdentityByDefaultColumn();
            feed.HasIndex(f => f.Url).IsUnique();
            feed.Property(f => f.Origin).HasDefaultValue(FeedOrigins.Config);
            feed.Property(f => f.Enabled).HasDefaultValue(true);
            feed.Property(f => f.FetchFullContent).HasDefaultValue(false);
            feed.Property(f => f.ErrorCount).HasDefaultValue(0);
            feed.Property(f => f.WarningCount).HasDefaultValue(0);
            feed.Property(f => f.ConsecutiveNotModified).HasDefaultValue(0);
            feed.Property(f => f.Tags).HasDefaultValueSql("'{}'::text[]");
            feed.Property(f => f.ETag).HasColumnName("etag");
            feed.Property(f => f.CreatedAt).HasDefaultValueSql("now()");
            feed.Property(f => f.UpdatedAt).HasDefaultValueSql("now()");
            // a new feed is due at once
            feed.Property(f => f.NextFetchAt).HasDefaultValueSql("now()");
            // the scheduler's claim: enabled feeds that are due, oldest first
            feed.HasIndex(f => f.NextFetchAt).HasFilter("enabled");
            // leases that lapsed, for the maintenance job
            feed.HasIndex(f => f.ClaimUntil).HasFilter("claim_until IS NOT NULL");
            feed.HasIndex(f => f.ErrorCount).HasFilter("error_count > 0");
        });

        modelBuilder.Entity<Article>(article =>
        {
            article.Property(a => a.Id).UseIdentityByDefaultColumn();
            article.Property(a => a.Categories).HasDefaultValueSql("'{}'::text[]");
            article.Property(a => a.Enclosures).HasColumnType("jsonb").HasDefaultValueSql("'[]'::jsonb");
            article.Property(a => a.Revision).HasDefaultValue(1);
            article.Property(a => a.FirstSeenAt).HasDefaultValueSql("now()");
            article.Property(a => a.LastSeenAt).HasDefaultValueSql("now()");
            article.HasOne(a => a.Original).WithMany().HasForeignKey(a => a.DuplicateOf).OnDelete(DeleteBehavior.SetNull);

            // HasGeneratedTsVectorColumn cannot weight fields, so the expression is written out.
            article.Property(a => a.SearchVector).HasComputedColumnSql(
                "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || " +
                "setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') || " +
                "setweight(to_tsvector('english'::regconfig, coalesce(content_text, '')), 'C')",
                stored: true);
            article.HasIndex(a => a.SearchVector).HasMethod("GIN");

            // layers 2 and 3: one row per canonical URL and per exact content; the unique indexes make
            // concurrent writers converge through ON CONFLICT
            article.HasIndex(a => a.CanonicalUrl).IsUnique().HasFilter("canonical_url IS NOT NULL");
            article.HasIndex(a => a.ContentHash).IsUnique().HasFilter("content_hash IS NOT NULL");
            // layer 4: a near copy shares at least one 16-bit band with its original
            article.HasIndex(a => a.SimhashBand0);
            article.HasIndex(a => a.SimhashBand1);
            article.HasIndex(a => a.SimhashBand2);
            article.HasIndex(a => a.SimhashBand3);
            article.HasIndex(a => a.DuplicateOf).HasFilter("duplicate_of IS NOT NULL");
            // newest first, by date range, by author
            article.HasIndex(a => a.PublishedAt).IsDescending();
            // a hash index: equality lookups for an author of any length (a b-tree entry must fit in 2.7 kB)
            article.HasIndex(a => a.Author).HasMethod("hash").HasFilter("author IS NOT NULL");
        });

        modelBuilder.Entity<FeedArticle>(link =>
        {
            // layer 1: one row per item of a feed; two items of one feed may point at the same article
            link.HasKey(fa => new { fa.FeedId, fa.ItemKey });
            link.HasIndex(fa => fa.ArticleId);
            // latest per feed
            link.HasIndex(fa => new { fa.FeedId, fa.FirstSeenAt }).IsDescending(false, true);
            link.Property(fa => fa.FirstSeenAt).HasDefaultValueSql("now()");
            link.HasOne(fa => fa.Feed).WithMany(f => f.FeedArticles).HasForeignKey(fa => fa.FeedId).OnDelete(DeleteBehavior.Cascade);
            link.HasOne(fa => fa.Article).WithMany(a => a.FeedArticles).HasForeignKey(fa => fa.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<PrunedItem>(pruned =>
        {
            pruned.HasKey(p => new { p.FeedId, p.ItemKey });
            pruned.HasOne(p => p.Feed).WithMany().HasForeignKey(p => p.FeedId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
