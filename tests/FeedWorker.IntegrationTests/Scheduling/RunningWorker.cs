using System.Diagnostics;
using System.Text;
using FeedWorker.IntegrationTests.Once;

namespace FeedWorker.IntegrationTests.Scheduling;

/// <summary>A <c>FeedWorker run</c> process the test can stop gracefully (SIGTERM) or kill (SIGKILL).</summary>
public sealed class RunningWorker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningWorker(Process process, string name)
    {
        _process = process;
        Name = name;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <param name="name">How failure messages call it; "worker" unless told.</param>
    public static RunningWorker Start(IReadOnlyDictionary<string, string> environment, string name = "worker") =>
        new(Process.Start(FeedWorkerProcess.StartInfo(environment, ["run"]))!, name);

    public string Name { get; }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>What these workers said, each under its name: what explains a failure about them.</summary>
    public static string Outputs(IEnumerable<RunningWorker> workers) =>
        string.Join("\n", workers.Select(w => $"--- {w.Name} (pid {w._process.Id})\n{w.Output}"));

    /// <summary>Waits for the host to report started: before that, a SIGTERM meets the runtime's default handler.</summary>
    public async Task WaitUntilStartedAsync()
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (!Output.Contains("Application started", StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTimeOffset.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the worker did not start\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, then the exit code once the worker has drained.</summary>
    public async Task<int> TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, and fail the test with the worker's output unless it drains and exits 0.</summary>
    public async Task StopAsync()
    {
        await WaitUntilStartedAsync();
        var before = Output;
        var exitCode = await TerminateAsync(TimeSpan.FromSeconds(40));
        Assert.True(exitCode == 0, $"the worker exited with {exitCode}\n--- before SIGTERM (pid {_process.Id})\n{before}\n--- all\n{Output}");
    }

    /// <summary>SIGKILL: no chance to finish anything, as when a machine dies.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
