using Npgsql;

namespace FeedWorker.IntegrationTests.Scheduling;

/// <summary>
/// Another client that takes every connection slot PostgreSQL has, the worker's included, so
/// that the worker's next connection is answered "sorry, too many clients already" (53300).
/// Disposing gives every slot back.
/// </summary>
internal sealed class ConnectionHog : IAsyncDisposable
{
    private readonly List<NpgsqlConnection> _held = [];

    private ConnectionHog()
    {
    }

    public int Held => _held.Count;

    public static async Task<ConnectionHog> TakeAllAsync(string connectionString, TimeSpan within)
    {
        var hog = new ConnectionHog();
        var unpooled = connectionString + ";Pooling=false";
        var deadline = DateTimeOffset.UtcNow + within;
        try
        {
            while (true)
            {
                if (await hog.TryOpenAsync(unpooled))
                {
                    continue;
                }
                // full: end the other clients' sessions and take their slots as they free up, until
                // every client session is ours
                if (await hog.TerminateOthersAsync() == 0)
                {
                    return hog;
                }
                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new TimeoutException($"could not take every connection slot within {within.TotalSeconds} s");
                }
            }
        }
        catch
        {
            await hog.DisposeAsync();
            throw;
        }
    }

    private async Task<bool> TryOpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync();
            _held.Add(connection);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.TooManyConnections && _held.Count > 0)
        {
            await connection.DisposeAsync();
            return false;
        }
    }

    private async Task<long> TerminateOthersAsync()
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> ALL(@ours)",
            _held[0]);
        command.Parameters.Add(new NpgsqlParameter<int[]>("ours", _held.Select(c => c.ProcessID).ToArray()));
        var terminated = (long)(await command.ExecuteScalarAsync())!;
        if (terminated > 0)
        {
            await Task.Delay(50); // the ended backends give their slots back as they exit
        }
        return terminated;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _held) await connection.DisposeAsync();
        _held.Clear();
    }
}
