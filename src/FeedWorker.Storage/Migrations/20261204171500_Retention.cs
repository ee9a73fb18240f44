using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedWorker.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pruned_items",
                columns: table => new
                {
                    feed_id = table.Column<long>(type: "bigint", nullable: false),
                    item_key = table.Column<string>(type: "text", nullable: false),
                    pruned_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pruned_items", x => new { x.feed_id, x.item_key });
                    table.ForeignKey(
                        name: "fk_pruned_items_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pruned_items");
        }
    }
}
