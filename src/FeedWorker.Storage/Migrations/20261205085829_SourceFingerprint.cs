using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedWorker.Storage.Migrations
{
    /// <inheritdoc />
    public partial class SourceFingerprint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "source_fingerprint",
                table: "feed_articles",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "source_fingerprint",
                table: "feed_articles");
        }
    }
}
