using System.Diagnostics;
using FeedWorker.IntegrationTests.Storage;

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

    /// <param name="settings">
    /// Server settings (postgresql.conf names) such as <c>log_statement=all</c> or <c>max_connections=30</c>:
    /// given to the server's command line at each start (deploy/lib/postgres.sh, PG_SERVER_OPTIONS), so
    /// they win over the script's defaults and those only a start applies take effect too.
    /// </param>
    public PrivateCluster(IReadOnlyDictionary<string, string>? settings = null)
    {
        _library = RepositoryFiles.Find("deploy", "lib", "postgres.sh");
        _settings = settings ?? new Dictionary<string, string>();
        foreach (var (name, value) in _settings)
        {
            // pg_ctl hands the options to a shell: plain names, values single-quoted
            if (!name.All(c => char.IsAsciiLetterLower(c) || c == '_')) throw new ArgumentException($"not a setting name: {name}");
            if (value.Contains('\'', StringComparison.Ordinal)) throw new ArgumentException($"a quote in the value of {name}");
        }
    }

    public string ConnectionString { get; private set; } = "";

    /// <summary>The server's stderr (logging_collector is off), where log_statement and friends write.</summary>
    public string LogFile => Path.Combine(_directory, "server.log");

    /// <summary>Starts the cluster (again, on the same port after the first start).</summary>
    public async Task StartAsync()
    {
        var output = await BashAsync(
            """. "$1"; PG_PORT=$3 PG_FSYNC=off pg_start "$2" >/dev/null && echo "$PG_PORT" && echo "$FEEDWORKER_PG_CONNECTION" """,
            _port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        _port = int.Parse(lines[^2], System.Globalization.CultureInfo.InvariantCulture);
        ConnectionString = lines[^1];
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
        start.Environment["PG_SERVER_OPTIONS"] = string.Join(' ', _settings.Select(s => $"-c {s.Key}='{s.Value}'"));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"postgres.sh failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
