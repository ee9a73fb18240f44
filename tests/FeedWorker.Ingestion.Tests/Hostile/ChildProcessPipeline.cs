using System.Diagnostics;
using System.Text.Json;

namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>
/// Runs the production pipeline in a child process (`FeedWorker parse FILE`, the real host and AddFeedIngestion):
/// a stack overflow cannot be caught and would end the whole test run, so inputs that may recurse deeply go here.
/// </summary>
internal static class ChildProcessPipeline
{
    /// <param name="ExitCode">0 when the worker finished; anything else is a crash (134 = abort, as on a stack overflow).</param>
    /// <param name="Output">The JSON line for the file (null when none was printed).</param>
    public sealed record Outcome(int ExitCode, JsonElement? Output, string Stderr)
    {
        public bool Crashed => ExitCode != 0;
        public bool Ok => Output?.GetProperty("ok").GetBoolean() == true;
        public string? Error => Output?.GetProperty("error").GetString();
        /// <summary>The exit code, the first stderr line and the distinct frames of a crash (a stack overflow repeats one frame thousands of times).</summary>
        public string Describe()
        {
            var lines = Stderr.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var frames = lines.Where(l => l.StartsWith("at ", StringComparison.Ordinal)).Distinct().Take(8);
            return $"exit code {ExitCode}: {lines.FirstOrDefault()} {string.Join(" <- ", frames)}";
        }
    }

    /// <param name="deadline">Hang guard; <see cref="IngestionPipeline.Deadline"/> unless given.</param>
    public static async Task<Outcome> ParseAsync(byte[] feed, TimeSpan? deadline = null)
    {
        var worker = await WorkerAsync();
        var file = Path.Combine(Path.GetTempPath(), $"feedworker-hostile-{Guid.NewGuid():N}.xml");
        await File.WriteAllBytesAsync(file, feed);
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync("dotnet", [worker, "parse", file], deadline ?? IngestionPipeline.Deadline);
            var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return new Outcome(exitCode, line is null ? null : JsonDocument.Parse(line).RootElement.Clone(), stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>src/FeedWorker's build output for this configuration; built on demand when only this project was built.</summary>
    private static async Task<string> WorkerAsync()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FeedWorker.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("FeedWorker.sln not found above " + AppContext.BaseDirectory);
        var project = Path.Combine(root.FullName, "src", "FeedWorker");
        var worker = Path.Combine(project, "bin", configuration, "net10.0", "FeedWorker.dll");
        if (!File.Exists(worker))
        {
            var (exitCode, stdout, _) = await RunAsync("dotnet", ["build", project, "-c", configuration, "--nologo", "-v", "q"], TimeSpan.FromMinutes(5));
            if (exitCode != 0) throw new InvalidOperationException($"building {project} failed: {stdout}");
        }
        return worker;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string fileName, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException(fileName + " did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
