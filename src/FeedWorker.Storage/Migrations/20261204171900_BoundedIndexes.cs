using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedWorker.Storage.Migrations
{
    /// <inheritdoc />
    public partial class BoundedIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_articles_author_published_at",
                table: "articles");

            migrationBuilder.AddColumn<string>(
                name: "last_warning",
                table: "feeds",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "warning_count",
                table: "feeds",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "ix_articles_author",
                table: "articles",
                column: "author",
                filter: "author IS NOT NULL")
                .Annotation("Npgsql:IndexMethod", "hash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_articles_author",
                table: "articles");

            migrationBuilder.DropColumn(
                name: "last_warning",
                table: "feeds");

            migrationBuilder.DropColumn(
                name: "warning_count",
                table: "feeds");

            migrationBuilder.CreateIndex(
                name: "ix_articles_author_published_at",
                table: "articles",
                columns: new[] { "author", "published_at" },
                descending: new[] { false, true },
                filter: "author IS NOT NULL");
        }
    }
}
