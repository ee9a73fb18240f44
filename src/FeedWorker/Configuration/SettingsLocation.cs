using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace FeedWorker.Configuration;

/// <summary>
/// Where the settings file is and which folder relative paths (feeds, OPML files) resolve against.
/// By default both are the binary's folder. From a checkout, <c>deploy/local.sh</c> names the file
/// a user edits (<c>src/FeedWorker/appsettings.json</c>) and the repository as the content root, so
/// edits are seen (and reloaded) and <c>seeds/…</c> means the repository's folder rather than a copy
/// under <c>bin/</c>.
/// </summary>
internal sealed record SettingsLocation(string ContentRoot, string? SettingsFile)
{
    /// <summary>Path of the settings file read instead of the binary's <c>appsettings.json</c>.</summary>
    public const string SettingsFileVariable = "FEEDWORKER_SETTINGS";

    /// <summary>The host's own variable for the content root, honoured here too.</summary>
    public const string ContentRootVariable = "DOTNET_CONTENTROOT";

    private const string DefaultFileName = "appsettings.json";

    public static SettingsLocation FromEnvironment() => new(
        Environment.GetEnvironmentVariable(ContentRootVariable) is { Length: > 0 } root ? Path.GetFullPath(root) : AppContext.BaseDirectory,
        Environment.GetEnvironmentVariable(SettingsFileVariable) is { Length: > 0 } file ? Path.GetFullPath(file) : null);

    /// <summary>
    /// Points the host's <c>appsettings.json</c> and <c>appsettings.{environment}.json</c> sources at the
    /// folder of <see cref="SettingsFile"/>, in place, so their order (before environment variables) is kept;
    /// every JSON source is read through <see cref="IndexedJsonConfigurationSource"/>.
    /// </summary>
    public void Apply(IConfigurationBuilder configuration, string environmentName)
    {
        var sources = configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is not JsonConfigurationSource { Path: { } path } json || json is IndexedJsonConfigurationSource) continue;
            var replacement = SettingsFile is null ? null : path switch
            {
                DefaultFileName => SettingsFile,
                _ when path == $"appsettings.{environmentName}.json" => Path.Combine(Path.GetDirectoryName(SettingsFile)!, path),
                _ => null,
            };
            var source = new IndexedJsonConfigurationSource
            {
                Path = replacement ?? path,
                Optional = replacement is null ? json.Optional : path != DefaultFileName,
                ReloadOnChange = json.ReloadOnChange,
                ReloadDelay = json.ReloadDelay,
                OnLoadException = json.OnLoadException,
            };
            if (replacement is null)
            {
                source.FileProvider = json.FileProvider;
            }
            else
            {
                source.ResolveFileProvider();
            }
            // ConfigurationManager reloads its providers when a source is replaced
            sources[i] = source;
        }
    }
}
