using FeedWorker.IntegrationTests.Storage;
using Xunit.Abstractions;

namespace FeedWorker.IntegrationTests.Security;

/// <summary>
/// The static half of "every SQL statement is parameterized": no SQL text in src/ is built from runtime
/// values. The behavioural half, over the statements PostgreSQL actually receives, is <see cref="SqlParameterizationTests"/>.
/// </summary>
public sealed class RawSqlStaticTests(ITestOutputHelper output)
{
    [Fact]
    public void The_product_hands_database_APIs_only_SQL_text_made_of_constants()
    {
        var src = Path.GetDirectoryName(RepositoryFiles.Find("src", "FeedWorker", "FeedWorker.csproj"))!;

        var scan = RawSqlScanner.ScanDirectory(Path.GetDirectoryName(src)!);

        // the binder must see every call as the compiler does, or a call could slip past unbound
        Assert.True(scan.CompileErrors.Count == 0, string.Join('\n', scan.CompileErrors));
        Assert.True(scan.Findings.Count == 0, string.Join('\n', scan.Findings));
        // it really looked: the known statement sites of each store are among the checked ones
        foreach (var file in new[] { "ArticleStore.cs", "FeedStore.cs", "FeedStatusReader.cs", "DatabaseMigrator.cs", "HealthCommand.cs" })
        {
            Assert.Contains(scan.CheckedSites, site => site.Contains(Path.DirectorySeparatorChar + file + ":", StringComparison.Ordinal));
        }
        Assert.True(scan.CheckedSites.Count >= 20, string.Join('\n', scan.CheckedSites));
        output.WriteLine($"{scan.CheckedSites.Count} places hand SQL text to a database API, all constant:\n{string.Join('\n', scan.CheckedSites)}");
    }

    public static TheoryData<string> Unsafe => new()
    {
        """db.Articles.FromSqlRaw($"SELECT * FROM articles WHERE title = '{title}'").ToList();""",
        """await db.Database.ExecuteSqlRawAsync("DELETE FROM articles WHERE title = '" + title + "'");""",
        """db.Database.ExecuteSqlRaw(string.Format("DELETE FROM articles WHERE title = '{0}'", title));""",
        """db.Database.SqlQueryRaw<long>($"SELECT id FROM articles WHERE title = '{title}'").ToList();""",
        """await using var c = new NpgsqlCommand($"SELECT '{title}'", connection);""",
        """await using var c = source.CreateCommand("SELECT " + title);""",
        """await using var c = connection.CreateCommand(); c.CommandText = $"SELECT '{title}'";""",
        """await using var c = connection.CreateCommand(); c.CommandText += title;""",
        """await using var c = new NpgsqlCommand { Connection = connection, CommandText = "SELECT " + title };""",
        """var b = new NpgsqlBatchCommand($"SELECT '{title}'");""",
        """var sql = "SELECT "; sql += title; await using var c = new NpgsqlCommand(sql, connection);""",
        // through a helper of our own: flagged where the helper is called
        """await using var c = Command(connection, $"SELECT '{title}'"); static NpgsqlCommand Command(NpgsqlConnection c, string sql) => new(sql, c);""",
        // a helper that appends to its parameter: flagged inside the helper (line 17 too: the snippet is one line)
        """await using var c = Command(connection, "SELECT 1", title); static NpgsqlCommand Command(NpgsqlConnection c, string sql, string t) { sql += t; return new(sql, c); }""",
        // a public helper nothing calls: its parameter cannot be followed
        """} public static NpgsqlCommand Command(NpgsqlConnection c, string sql) { return new(sql, c);""",
    };

    public static TheoryData<string> Safe => new()
    {
        // FormattableString: EF Core turns every hole into a parameter
        """db.Articles.FromSql($"SELECT * FROM articles WHERE title = {title}").ToList();""",
        """await db.Database.ExecuteSqlAsync($"DELETE FROM articles WHERE title = {title}");""",
        """await using var c = new NpgsqlCommand($"SELECT * FROM {Table} WHERE title = @t", connection); c.Parameters.AddWithValue("t", title);""",
        """await using var c = source.CreateCommand("SELECT 1"); c.CommandText = "SELECT " + "2" + Table;""",
        """var sql = "SELECT 1"; if (title.Length > 3) sql += " + 1"; await using var c = new NpgsqlCommand(sql, connection);""",
        """await using var c = Command(connection, title.Length > 3 ? "SELECT 1" : "SELECT 2"); static NpgsqlCommand Command(NpgsqlConnection c, string sql) => new(sql, c);""",
    };

    [Theory]
    [MemberData(nameof(Unsafe))]
    public void SQL_text_built_from_a_runtime_value_is_found(string body)
    {
        var scan = ScanSnippet(body);

        Assert.True(scan.CompileErrors.Count == 0, string.Join('\n', scan.CompileErrors));
        var finding = Assert.Single(scan.Findings);
        // the snippet's body line: where the SQL text is handed over, even through a helper or a local
        Assert.Equal(("Probe.cs", 17), (finding.File, finding.Line));
    }

    [Theory]
    [MemberData(nameof(Safe))]
    public void Constant_SQL_text_and_EF_Core_interpolation_are_not_findings(string body)
    {
        var scan = ScanSnippet(body);

        Assert.True(scan.CompileErrors.Count == 0, string.Join('\n', scan.CompileErrors));
        Assert.True(scan.Findings.Count == 0, string.Join('\n', scan.Findings));
    }

    private static RawSqlScan ScanSnippet(string body) => RawSqlScanner.Scan([("Probe.cs", $$"""
        using Microsoft.EntityFrameworkCore;
        using Npgsql;

        public sealed class Article { public long Id { get; set; } }

        public sealed class Db(DbContextOptions options) : DbContext(options)
        {
            public DbSet<Article> Articles => Set<Article>();
        }

        public static class Probe
        {
            private const string Table = "articles";

            public static async Task RunAsync(Db db, NpgsqlDataSource source, NpgsqlConnection connection, string title)
            {
                {{body}}
            }
        }
        """)]);
}
