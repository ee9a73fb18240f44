using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FeedWorker.Storage.Migrations
{
    /// <summary>
    /// Due feeds are claimed from <c>feeds</c> under a lease (claimed_by, claim_until) instead of
    /// firing one Quartz job each: the per-feed jobs are removed, and every enabled feed gets a
    /// next_fetch_at (a new one is due at once).
    /// </summary>
    public partial class FeedClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<DateTime>(
                name: "next_fetch_at",
                table: "feeds",
                type: "timestamp with time zone",
                nullable: true,
                defaultValueSql: "now()",
                oldClrType: typeof(DateTime),
                oldType: "timestamp with time zone",
                oldNullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "claim_until",
                table: "feeds",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "claimed_by",
                table: "feeds",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_feeds_claim_until",
                table: "feeds",
                column: "claim_until",
                filter: "claim_until IS NOT NULL");

            migrationBuilder.Sql("UPDATE feeds SET next_fetch_at = now() WHERE next_fetch_at IS NULL;");
            // the per-feed jobs of the Quartz scheduler this replaces (group "feeds"): a trigger's
            // dependent rows first, then the triggers, then the jobs. Literal names: a migration is history.
            migrationBuilder.Sql("""
                DELETE FROM quartz.qrtz_simple_triggers WHERE trigger_group = 'feeds';
                DELETE FROM quartz.qrtz_cron_triggers WHERE trigger_group = 'feeds';
                DELETE FROM quartz.qrtz_simprop_triggers WHERE trigger_group = 'feeds';
                DELETE FROM quartz.qrtz_blob_triggers WHERE trigger_group = 'feeds';
                DELETE FROM quartz.qrtz_fired_triggers WHERE trigger_group = 'feeds' OR job_group = 'feeds';
                DELETE FROM quartz.qrtz_triggers WHERE trigger_group = 'feeds' OR job_group = 'feeds';
                DELETE FROM quartz.qrtz_job_details WHERE job_group = 'feeds';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_feeds_claim_until",
                table: "feeds");

            migrationBuilder.DropColumn(
                name: "claim_until",
                table: "feeds");

            migrationBuilder.DropColumn(
                name: "claimed_by",
                table: "feeds");

            migrationBuilder.AlterColumn<DateTime>(
                name: "next_fetch_at",
                table: "feeds",
                type: "timestamp with time zone",
                nullable: true,
                oldClrType: typeof(DateTime),
                oldType: "timestamp with time zone",
                oldNullable: true,
                oldDefaultValueSql: "now()");
        }
    }
}
