using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace FeedWorker.Storage.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "articles",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    guid = table.Column<string>(type: "text", nullable: true),
                    url = table.Column<string>(type: "text", nullable: true),
                    canonical_url = table.Column<string>(type: "text", nullable: true),
                    title = table.Column<string>(type: "text", nullable: true),
                    author = table.Column<string>(type: "text", nullable: true),
                    published_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    summary = table.Column<string>(type: "text", nullable: true),
                    content_html = table.Column<string>(type: "text", nullable: true),
                    content_text = table.Column<string>(type: "text", nullable: true),
                    language = table.Column<string>(type: "text", nullable: true),
                    categories = table.Column<List<string>>(type: "text[]", nullable: false, defaultValueSql: "'{}'::text[]"),
                    enclosures = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'[]'::jsonb"),
                    content_hash = table.Column<string>(type: "text", nullable: true),
                    simhash = table.Column<long>(type: "bigint", nullable: true),
                    simhash_band0 = table.Column<int>(type: "integer", nullable: true),
                    simhash_band1 = table.Column<int>(type: "integer", nullable: true),
                    simhash_band2 = table.Column<int>(type: "integer", nullable: true),
                    simhash_band3 = table.Column<int>(type: "integer", nullable: true),
                    duplicate_of = table.Column<long>(type: "bigint", nullable: true),
                    first_seen_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    last_seen_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    revision = table.Column<int>(type: "integer", nullable: false, defaultValue: 1),
                    search_vector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: true, computedColumnSql: "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(content_text, '')), 'C')", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_articles", x => x.id);
                    table.ForeignKey(
                        name: "fk_articles_articles_duplicate_of",
                        column: x => x.duplicate_of,
                        principalTable: "articles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "feeds",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    url = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: true),
                    title = table.Column<string>(type: "text", nullable: true),
                    site_url = table.Column<string>(type: "text", nullable: true),
                    origin = table.Column<string>(type: "text", nullable: false, defaultValue: "config"),
                    enabled = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    disabled_reason = table.Column<string>(type: "text", nullable: true),
                    fetch_interval = table.Column<TimeSpan>(type: "interval", nullable: true),
                    fetch_full_content = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false, defaultValueSql: "'{}'::text[]"),
                    etag = table.Column<string>(type: "text", nullable: true),
                    last_modified = table.Column<string>(type: "text", nullable: true),
                    last_fetched_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_success_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    next_fetch_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    error_count = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    last_error_kind = table.Column<string>(type: "text", nullable: true),
                    last_status = table.Column<int>(type: "integer", nullable: true),
                    consecutive_not_modified = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    redirected_to = table.Column<string>(type: "text", nullable: true),
                    ttl_hint = table.Column<TimeSpan>(type: "interval", nullable: true),
                    update_interval_hint = table.Column<TimeSpan>(type: "interval", nullable: true),
                    max_age_hint = table.Column<TimeSpan>(type: "interval", nullable: true),
                    retry_after = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_feeds", x => x.id);
                    table.CheckConstraint("ck_feeds_origin", "origin IN ('config', 'opml', 'adhoc')");
                });

            migrationBuilder.CreateTable(
                name: "feed_articles",
                columns: table => new
                {
                    feed_id = table.Column<long>(type: "bigint", nullable: false),
                    item_key = table.Column<string>(type: "text", nullable: false),
                    article_id = table.Column<long>(type: "bigint", nullable: false),
                    guid = table.Column<string>(type: "text", nullable: true),
                    url = table.Column<string>(type: "text", nullable: true),
                    fingerprint = table.Column<string>(type: "text", nullable: false),
                    first_seen_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_feed_articles", x => new { x.feed_id, x.item_key });
                    table.ForeignKey(
                        name: "fk_feed_articles_articles_article_id",
                        column: x => x.article_id,
                        principalTable: "articles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_feed_articles_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_articles_author_published_at",
                table: "articles",
                columns: new[] { "author", "published_at" },
                descending: new[] { false, true },
                filter: "author IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_articles_canonical_url",
                table: "articles",
                column: "canonical_url",
                unique: true,
                filter: "canonical_url IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_articles_content_hash",
                table: "articles",
                column: "content_hash",
                unique: true,
                filter: "content_hash IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_articles_duplicate_of",
                table: "articles",
                column: "duplicate_of",
                filter: "duplicate_of IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_articles_published_at",
                table: "articles",
                column: "published_at",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_articles_search_vector",
                table: "articles",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "ix_articles_simhash_band0",
                table: "articles",
                column: "simhash_band0");

            migrationBuilder.CreateIndex(
                name: "ix_articles_simhash_band1",
                table: "articles",
                column: "simhash_band1");

            migrationBuilder.CreateIndex(
                name: "ix_articles_simhash_band2",
                table: "articles",
                column: "simhash_band2");

            migrationBuilder.CreateIndex(
                name: "ix_articles_simhash_band3",
                table: "articles",
                column: "simhash_band3");

            migrationBuilder.CreateIndex(
                name: "ix_feed_articles_article_id",
                table: "feed_articles",
                column: "article_id");

            migrationBuilder.CreateIndex(
                name: "ix_feed_articles_feed_id_first_seen_at",
                table: "feed_articles",
                columns: new[] { "feed_id", "first_seen_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_feeds_error_count",
                table: "feeds",
                column: "error_count",
                filter: "error_count > 0");

            migrationBuilder.CreateIndex(
                name: "ix_feeds_next_fetch_at",
                table: "feeds",
                column: "next_fetch_at",
                filter: "enabled");

            migrationBuilder.CreateIndex(
                name: "ix_feeds_url",
                table: "feeds",
                column: "url",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "feed_articles");

            migrationBuilder.DropTable(
                name: "articles");

            migrationBuilder.DropTable(
                name: "feeds");
        }
    }
}
