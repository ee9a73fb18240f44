using System.Diagnostics;

namespace FeedWorker.Ingestion.Tests.Xss;

/// <summary>Headless Chromium (Debian's package) used as a real browser: loads a page, lets it run, prints the final DOM.</summary>
internal static class Chromium
{
    private static readonly string[] Candidates = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>FEEDWORKER_CHROMIUM if set, else the first browser found on PATH; null when none is installed.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("FEEDWORKER_CHROMIUM") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => Candidates.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Loads the URL, runs its timers in virtual time up to the budget, and returns the serialized DOM.
    /// Name resolution is disabled so nothing a vector names can leave the machine.
    /// </summary>
    public static async Task<string> DumpDomAsync(Uri url, TimeSpan virtualTimeBudget, CancellationToken cancellationToken)
    {
        var executable = Find() ?? throw new InvalidOperationException("chromium is not installed");
        var profile = Directory.CreateTempSubdirectory("feedworker-chromium-");
        try
        {
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--mute-audio",
                "--user-data-dir=" + profile.FullName,
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--virtual-time-budget=" + (long)virtualTimeBudget.TotalMilliseconds,
                "--dump-dom", url.AbsoluteUri,
            })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            var dom = await stdout;
            if (dom.Length == 0)
            {
                throw new InvalidOperationException($"chromium exited with {process.ExitCode} and printed no DOM: {await stderr}");
            }
            return dom;
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // a helper process may still hold a file for a moment; the temp directory is cleaned eventually
            }
        }
    }
}

/// <summary>A fact that is skipped, saying why, when no Chromium is installed (deploy/test.sh installs it as root).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Find() is null)
        {
            Skip = "chromium is not installed: install Debian's `chromium` package or set FEEDWORKER_CHROMIUM (deploy/test.sh does this when run as root)";
        }
    }
}
