using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FeedWorker.Storage.Migrations;

/// <summary>The scheduler's job store (Quartz.NET tables) in its own schema, <c>quartz</c>.</summary>
[DbContext(typeof(FeedWorkerDbContext))]
[Migration("20261124210000_QuartzSchema")]
public sealed class QuartzSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($"CREATE SCHEMA IF NOT EXISTS {QuartzTables.Schema};");
        migrationBuilder.Sql(QuartzTables.CreateScript());
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql($"DROP SCHEMA IF EXISTS {QuartzTables.Schema} CASCADE;");
}
