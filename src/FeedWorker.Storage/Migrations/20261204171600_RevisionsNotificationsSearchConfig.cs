using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedWorker.Storage.Migrations;

/// <summary>
/// Revision history (<c>article_revisions</c>) and per-article text search configurations (with a
/// configured language per feed, <c>feeds.language</c>). Every step
/// on <c>articles</c> changes only the catalog, so the table is never rewritten under a long lock:
/// <c>search_vector</c> stops being generated (its English vectors stay until the start-up backfill,
/// <see cref="SearchConfigBackfill"/>, reaches each row in small transactions) and is written from
/// then on by a trigger, with the row's <c>search_config</c>.
/// </summary>
public partial class RevisionsNotificationsSearchConfig : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "article_revisions",
            columns: table => new
            {
                article_id = table.Column<long>(type: "bigint", nullable: false),
                revision = table.Column<int>(type: "integer", nullable: false),
                title = table.Column<string>(type: "text", nullable: true),
                summary = table.Column<string>(type: "text", nullable: true),
                content_html = table.Column<string>(type: "text", nullable: true),
                content_text = table.Column<string>(type: "text", nullable: true),
                content_hash = table.Column<string>(type: "text", nullable: true),
                replaced_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_article_revisions", x => new { x.article_id, x.revision });
                table.ForeignKey(
                    name: "fk_article_revisions_articles_article_id",
                    column: x => x.article_id,
                    principalTable: "articles",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "ix_article_revisions_replaced_at", table: "article_revisions", column: "replaced_at");

        migrationBuilder.AddColumn<string>(name: "language", table: "feeds", type: "text", nullable: true);
        migrationBuilder.Sql("ALTER TABLE articles ADD COLUMN search_config regconfig;");
        // PostgreSQL 13+: keeps the stored values, no rewrite
        migrationBuilder.Sql("ALTER TABLE articles ALTER COLUMN search_vector DROP EXPRESSION;");
        migrationBuilder.Sql(SearchConfigFunction);
        migrationBuilder.Sql(SearchVectorFunction);
        migrationBuilder.Sql(SearchVectorTriggers);
        // an index over the rows still to backfill: all of them now, none once done. Built inside the
        // migration's transaction: CONCURRENTLY would wait for every open transaction, including another
        // starting replica's wait for the migration lock, and so deadlock with it. Writers wait for the
        // build (one scan of articles) during the upgrade; readers do not.
        migrationBuilder.Sql(
            "CREATE INDEX IF NOT EXISTS ix_articles_search_config_pending ON articles (search_config) WHERE search_config IS NULL;");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "article_revisions");
        migrationBuilder.DropColumn(name: "language", table: "feeds");
        migrationBuilder.Sql("""
            DROP TRIGGER articles_search_vector_insert ON articles;
            DROP TRIGGER articles_search_vector_update ON articles;
            DROP FUNCTION articles_search_vector();
            DROP FUNCTION feedworker_search_config(text);
            DROP INDEX ix_articles_search_config_pending;
            ALTER TABLE articles DROP COLUMN search_config;
            ALTER TABLE articles DROP COLUMN search_vector;
            ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
                setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') ||
                setweight(to_tsvector('english'::regconfig, coalesce(content_text, '')), 'C')) STORED;
            CREATE INDEX ix_articles_search_vector ON articles USING GIN (search_vector);
            """);
    }

    /// <summary>
    /// A language tag ("fr-FR", "de", "pt_BR") or a configuration name ("french") to a text search
    /// configuration that exists on this server, else <c>simple</c>. The codes are ISO 639-1 for the
    /// snowball configurations PostgreSQL ships (15 has 22 of them; 16 adds 6): a code whose
    /// configuration this server lacks falls back to <c>simple</c>.
    /// </summary>
    private const string SearchConfigFunction = """
        CREATE FUNCTION feedworker_search_config(language text) RETURNS regconfig
        LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
            SELECT coalesce((
                SELECT c.oid::regconfig
                FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
                WHERE c.cfgname = coalesce(
                    (SELECT m.cfgname
                     FROM (VALUES ('ar', 'arabic'), ('hy', 'armenian'), ('eu', 'basque'), ('ca', 'catalan'), ('da', 'danish'),
                                  ('nl', 'dutch'), ('en', 'english'), ('fi', 'finnish'), ('fr', 'french'), ('de', 'german'),
                                  ('el', 'greek'), ('hi', 'hindi'), ('hu', 'hungarian'), ('id', 'indonesian'), ('ga', 'irish'),
                                  ('it', 'italian'), ('lt', 'lithuanian'), ('ne', 'nepali'), ('no', 'norwegian'), ('nb', 'norwegian'),
                                  ('nn', 'norwegian'), ('pt', 'portuguese'), ('ro', 'romanian'), ('ru', 'russian'), ('sr', 'serbian'),
                                  ('es', 'spanish'), ('sv', 'swedish'), ('ta', 'tamil'), ('tr', 'turkish'), ('yi', 'yiddish'))
                          AS m(code, cfgname)
                     WHERE m.code = lower(split_part(replace(btrim(language), '_', '-'), '-', 1))),
                    lower(btrim(language)))
                ORDER BY n.nspname <> 'pg_catalog'
                LIMIT 1),
                'pg_catalog.simple'::regconfig)
        $fn$;
        """;

    /// <summary>
    /// Builds search_vector with the row's configuration (filled from its language when a writer left
    /// it out). BoundedSearchVector replaces it, and restores it on the way down.
    /// </summary>
    internal const string SearchVectorFunction = """
        CREATE OR REPLACE FUNCTION articles_search_vector() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            NEW.search_config := coalesce(NEW.search_config, feedworker_search_config(NEW.language));
            NEW.search_vector :=
                setweight(to_tsvector(NEW.search_config, coalesce(NEW.title, '')), 'A') ||
                setweight(to_tsvector(NEW.search_config, coalesce(NEW.summary, '')), 'B') ||
                setweight(to_tsvector(NEW.search_config, coalesce(NEW.content_text, '')), 'C');
            RETURN NEW;
        END
        $fn$;
        """;

    /// <summary>On update only when a searched field or the configuration changed, so touching last_seen_at costs no tsvector.</summary>
    private const string SearchVectorTriggers = """
        CREATE TRIGGER articles_search_vector_insert BEFORE INSERT ON articles
            FOR EACH ROW EXECUTE FUNCTION articles_search_vector();
        CREATE TRIGGER articles_search_vector_update BEFORE UPDATE OF title, summary, content_text, search_config ON articles
            FOR EACH ROW
            WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.summary IS DISTINCT FROM NEW.summary
                  OR OLD.content_text IS DISTINCT FROM NEW.content_text OR OLD.search_config IS DISTINCT FROM NEW.search_config)
            EXECUTE FUNCTION articles_search_vector();
        """;
}
