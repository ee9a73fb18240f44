using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Storage;
using Npgsql;

namespace FeedWorker.IntegrationTests.Security;

/// <summary>The connection string's password is configuration, never output: not in logs, not in errors.</summary>
public sealed class SecretsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // trust authentication ignores it, so the same password works against the test server
    private const string Password = "Pw-8d1f0c2e-never-print-me";

    [Fact]
    public async Task A_successful_run_with_debug_logging_never_prints_the_password()
    {
        using var files = new FeedFiles();
        var feed = files.Write("secret", FeedFiles.Items("secret", 3, firstSeed: 9000));
        var environment = FeedWorkerProcess.Environment(WithPassword(database.ConnectionString), [feed]);
        environment["Logging__LogLevel__Default"] = "Debug";

        var run = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(Password, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_is_reported_without_the_password()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(WithPassword(database.ConnectionString)) { Port = 1, Timeout = 3 }.ConnectionString;

        var run = await FeedWorkerProcess.RunAsync(FeedWorkerProcess.Environment(unreachable, []), "once");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unreachable", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    private static string WithPassword(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = Password }.ConnectionString;
}
