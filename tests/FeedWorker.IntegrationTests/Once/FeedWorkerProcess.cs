using System.Diagnostics;

namespace FeedWorker.IntegrationTests.Once;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the real FeedWorker executable (<c>dotnet FeedWorker.dll</c> from the test output folder).</summary>
public static class FeedWorkerProcess
{
    public static async Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(environment, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // a hung worker must not outlive its test, holding connections while the suite goes on
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"FeedWorker {string.Join(' ', arguments)} did not exit within 3 minutes");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>How to start FeedWorker.dll with exactly this environment on top of the machine's.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        // The test output resolves Microsoft.Extensions.* from the ASP.NET Core shared framework (the
        // tests reference it for Kestrel), so FeedWorker.dll runs here with the test assembly's
        // runtimeconfig and deps, which name that framework.
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FeedWorker.IntegrationTests.runtimeconfig.json"));
        start.ArgumentList.Add("--depsfile");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FeedWorker.IntegrationTests.deps.json"));
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FeedWorker.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // the test runner's own settings must not leak into the worker
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("FeedWorker__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }

    /// <summary>Environment for a run over exactly these feeds (they replace the default seed entry).</summary>
    public static Dictionary<string, string> Environment(string connectionString, IReadOnlyList<string> feeds)
    {
        var environment = new Dictionary<string, string> { ["ConnectionStrings__FeedWorker"] = connectionString };
        for (var i = 0; i < feeds.Count; i++) environment[$"FeedWorker__Feeds__{i}__Url"] = feeds[i];
        return environment;
    }
}
