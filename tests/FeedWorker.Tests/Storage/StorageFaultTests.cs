using FeedWorker.Storage;
using Npgsql;
using Quartz;

namespace FeedWorker.Tests.Storage;

/// <summary>Which database errors are transient (retry later) and how they read in one log line.</summary>
public sealed class StorageFaultTests
{
    [Theory]
    [InlineData("53300", true)] // too many connections
    [InlineData("57014", true)] // statement timeout
    [InlineData("55P03", true)] // lock timeout
    [InlineData("40P01", true)] // deadlock
    [InlineData("57P01", true)] // administrator shutdown
    [InlineData("23505", false)] // unique violation: a bug, not a fault to wait out
    [InlineData("42P01", false)] // undefined table
    [InlineData("22001", false)] // value too long
    public void A_server_error_is_transient_by_its_sql_state(string sqlState, bool transient) =>
        Assert.Equal(transient, StorageUnavailableException.IsUnavailable(new PostgresException("message", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void An_exhausted_pool_is_transient()
    {
        var exhausted = new NpgsqlException("The connection pool has been exhausted", new TimeoutException("The operation has timed out."));
        Assert.True(StorageUnavailableException.IsUnavailable(exhausted));
    }

    [Fact]
    public void A_job_store_failure_caused_by_a_transient_error_reads_as_one_line_with_the_cause()
    {
        var cause = new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300");
        // as Quartz builds it: the inner exception, stack trace included, inside the message
        var wrapped = new JobPersistenceException($"Failed to obtain DB connection from data source 'quartz': {cause}\n   at Somewhere.Else()", cause);

        Assert.False(StorageUnavailableException.IsUnavailable(wrapped));
        Assert.True(StorageUnavailableException.IsCausedByUnavailable(wrapped));
        var line = StorageUnavailableException.Describe(wrapped);
        Assert.DoesNotContain('\n', line);
        Assert.Contains("53300: sorry, too many clients already", line, StringComparison.Ordinal);
        Assert.StartsWith("Failed to obtain DB connection from data source 'quartz'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unrelated_failure_is_not_caused_by_the_database() =>
        Assert.False(StorageUnavailableException.IsCausedByUnavailable(new InvalidOperationException("bad", new ArgumentException("worse"))));

    /// <summary>A job that fails on an HTTP connection must log its stack trace and count as a bug, not as a database outage.</summary>
    [Fact]
    public void A_socket_error_without_a_database_client_in_the_chain_is_not_the_database() =>
        Assert.False(StorageUnavailableException.IsCausedByUnavailable(
            new InvalidOperationException("job failed", new HttpRequestException("fetch", new System.Net.Sockets.SocketException(104)))));
}
