using FeedWorker.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FeedWorker.IntegrationTests.Configuration;

/// <summary>
/// The settings file named by <c>FEEDWORKER_SETTINGS</c> (what deploy/local.sh uses for
/// src/FeedWorker/appsettings.json) replaces the binary's appsettings.json, keeps its place before
/// environment variables, brings its appsettings.{Environment}.json along, and is reloaded on change.
/// </summary>
public sealed class SettingsLocationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("feedworker-settings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_named_file_is_read_before_environment_variables_and_reloaded_when_it_changes()
    {
        var file = Path.Combine(_folder, "appsettings.json");
        await File.WriteAllTextAsync(file, """{ "FeedWorker": { "Probe": "first", "Overridden": "from the file" }, "Only": "file" }""");
        await File.WriteAllTextAsync(Path.Combine(_folder, "appsettings.Staging.json"), """{ "Staging": "beside it" }""");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Staging" });
        builder.Configuration.AddInMemoryCollection([new("FeedWorker:Overridden", "from the environment")]);
        new SettingsLocation(_folder, file).Apply(builder.Configuration, "Staging");
        IConfiguration configuration = builder.Configuration;

        Assert.Equal("first", configuration["FeedWorker:Probe"]);
        Assert.Equal("beside it", configuration["Staging"]);
        // a source added after the file (as environment variables are) still wins
        Assert.Equal("from the environment", configuration["FeedWorker:Overridden"]);

        var reloaded = new TaskCompletionSource();
        using var _ = configuration.GetReloadToken().RegisterChangeCallback(_ => reloaded.TrySetResult(), null);
        await File.WriteAllTextAsync(file, """{ "FeedWorker": { "Probe": "second" } }""");
        // a generous guard for a loaded machine: the file watcher reports within a second or so
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(60));
        for (var i = 0; i < 100 && configuration["FeedWorker:Probe"] != "second"; i++) await Task.Delay(100);
        Assert.Equal("second", configuration["FeedWorker:Probe"]);
    }

    [Fact]
    public async Task Without_a_named_file_the_content_roots_appsettings_is_read()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "appsettings.json"), """{ "Probe": "content root" }""");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder });
        new SettingsLocation(_folder, null).Apply(builder.Configuration, "Production");
        Assert.Equal("content root", ((IConfiguration)builder.Configuration)["Probe"]);
    }
}
