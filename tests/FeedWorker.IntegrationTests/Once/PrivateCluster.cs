using System.Diagnostics;
using FeedWorker.IntegrationTests.Storage;
using Npgsql;

namespace FeedWorker.IntegrationTests.Once;

/// <summary>
/// A PostgreSQL cluster of the test's own, started and stopped through deploy/lib/postgres.sh, for
/// tests that take the database away in the middle of a run, or that read what the server logs.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _library;
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("feedworker-cluster-").FullName;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private int? _port;

    /// <param name="settings">Server settings (postgresql.conf names) in force from each start on, such as <c>log_statement=all</c>.</param>
    public PrivateCluster(IReadOnlyDictionary<string, string>? settings = null)
    {
        _library = RepositoryFiles.Find("deploy", "lib", "postgres.sh");
        _settings = settings ?? new Dictionary<string, string>();
    }

    public string ConnectionString { get; private set; } = "";

    /// <summary>The server's stderr (logging_collector is off), where log_statement and friends write.</summary>
    public string LogFile => Path.Combine(_directory, "server.log");

    /// <summary>
    /// Settings only a start applies, such as <c>max_connections=30</c>: given to the server's
    /// command line (deploy/lib/postgres.sh, PG_SERVER_OPTIONS) at each start.
    /// </summary>
    public IReadOnlyList<string> StartSettings { get; init; } = [];

    /// <summary>Starts the cluster (again, on the same port after the first start).</summary>
    public async Task StartAsync()
    {
        var output = await BashAsync(
            """. "$1"; PG_PORT=$3 PG_FSYNC=off pg_start "$2" >/dev/null && echo "$PG_PORT" && echo "$FEEDWORKER_PG_CONNECTION" """,
            _port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        _port = int.Parse(lines[^2], System.Globalization.CultureInfo.InvariantCulture);
        ConnectionString = lines[^1];
        if (_settings.Count > 0) await ApplySettingsAsync();
    }

    /// <summary>ALTER SYSTEM and a reload, then waits until a new session sees every setting.</summary>
    private async Task ApplySettingsAsync()
    {
        var unpooled = ConnectionString + ";Pooling=false";
        await using (var connection = new NpgsqlConnection(unpooled))
        {
            await connection.OpenAsync();
            foreach (var (name, value) in _settings)
            {
                // ALTER SYSTEM takes no bind parameters: the name must be a plain identifier, the value is quoted
                if (!name.All(c => char.IsAsciiLetterLower(c) || c == '_')) throw new ArgumentException($"not a setting name: {name}");
                await using var alter = new NpgsqlCommand($"ALTER SYSTEM SET {name} = '{value.Replace("'", "''", StringComparison.Ordinal)}'", connection);
                await alter.ExecuteNonQueryAsync();
            }
            await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
            await reload.ExecuteNonQueryAsync();
        }
        // the postmaster rereads the files asynchronously: sessions forked before that still have the old values
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            await using var connection = new NpgsqlConnection(unpooled);
            await connection.OpenAsync();
            var pending = new List<string>();
            foreach (var (name, value) in _settings)
            {
                await using var show = new NpgsqlCommand("SELECT current_setting(@name)", connection);
                show.Parameters.AddWithValue("name", name);
                if (!string.Equals((string?)await show.ExecuteScalarAsync(), value, StringComparison.Ordinal)) pending.Add(name);
            }
            if (pending.Count == 0) return;
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"settings not in force after a reload: {string.Join(", ", pending)}");
            await Task.Delay(100);
        }
    }

    public Task StopAsync() => BashAsync(""". "$1"; pg_find_bin && PG_DIR=$2 pg_stop""", "");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { System.IO.Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task<string> BashAsync(string script, string port)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", script, "bash", _library, _directory, port }) start.ArgumentList.Add(argument);
        if (port.Length == 0) start.Environment.Remove("PG_PORT");
        start.Environment["PG_SERVER_OPTIONS"] = string.Join(' ', StartSettings.Select(s => "-c " + s));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"postgres.sh failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
