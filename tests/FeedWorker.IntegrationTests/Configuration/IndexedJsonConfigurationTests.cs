using System.Text.Json;
using FeedWorker.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace FeedWorker.IntegrationTests.Configuration;

/// <summary>The indexed JSON provider answers every child-key question exactly as the stock JSON provider does.</summary>
public sealed class IndexedJsonConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("feedworker-indexed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Settings = """
        {
          "FeedWorker": {
            "Feeds": [
              { "Url": "https://a.example/feed", "Tags": [ "news", "world" ], "Headers": { "User-Agent": "x", "Cookie": "y" } },
              { "url": "https://b.example/feed", "Name": "B", "KeepRules": [ { "Title": "rust" } ] },
              { "Url": "https://c.example/feed", "Tags": [] }
            ],
            "OpmlFiles": [ "a.opml" ],
            "Fetcher": { "UserAgent": "FeedWorker", "Proxy": "" },
            "feeds2": { "A": { "B": { "C": "deep" } }, "a": 1 }
          },
          "ConnectionStrings": { "FeedWorker": "Host=localhost" },
          "Logging": { "LogLevel": { "Default": "Information", "Microsoft.Hosting.Lifetime": "Warning" } },
          "": "empty key",
          "Empty": {}
        }
        """;

    [Fact]
    public void Child_keys_are_those_of_the_stock_provider_for_every_path()
    {
        var (stock, indexed) = Providers(Settings);
        string[][] earlier = [[], ["zeta", "0", "10", "A", "feeds"]];
        var paths = stock.GetChildKeys([], null).Distinct().SelectMany(Descendants(stock)).ToList();
        Assert.True(paths.Count > 30, $"only {paths.Count} paths");
        foreach (var path in paths.Concat(paths.Select(p => p.ToUpperInvariant())).Concat([null, "", "Missing", "FeedWorker:Feeds:7", "FeedWorker:Feed"]))
        {
            foreach (var keys in earlier)
            {
                Assert.Equal(stock.GetChildKeys(keys, path), indexed.GetChildKeys(keys, path));
            }
        }
    }

    [Fact]
    public void A_key_set_from_code_and_a_reloaded_file_are_seen()
    {
        var file = Write(Settings);
        var indexed = (IndexedJsonConfigurationProvider)Source<IndexedJsonConfigurationSource>(file).Build(new ConfigurationBuilder());
        indexed.Load();
        Assert.Equal(["0", "1", "2"], indexed.GetChildKeys([], "FeedWorker:Feeds").Distinct());

        indexed.Set("FeedWorker:Feeds:3:Url", "https://d.example/feed");
        Assert.Equal(["0", "1", "2", "3"], indexed.GetChildKeys([], "FeedWorker:Feeds").Distinct());

        File.WriteAllText(file, """{ "FeedWorker": { "Feeds": [ { "Url": "https://only.example/feed" } ] } }""");
        indexed.Load();
        Assert.Equal(["0"], indexed.GetChildKeys([], "FeedWorker:Feeds").Distinct());
        Assert.Empty(indexed.GetChildKeys([], "FeedWorker:Fetcher"));
    }

    [Fact]
    public void The_host_reads_settings_files_through_the_index_and_binds_the_same_feeds()
    {
        var feeds = Enumerable.Range(0, 300).Select(i => new
        {
            Url = $"https://site{i}.example/feed",
            Name = $"Site {i}",
            Interval = "15m",
            Tags = new[] { "news", $"t{i % 7}" },
            Headers = new Dictionary<string, string> { ["User-Agent"] = $"agent {i}" },
        });
        var file = Write(JsonSerializer.Serialize(new { FeedWorker = new { Feeds = feeds } }));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder, EnvironmentName = "Production" });
        new SettingsLocation(_folder, file).Apply(builder.Configuration, "Production");

        Assert.Contains(((IConfigurationBuilder)builder.Configuration).Sources, s => s is IndexedJsonConfigurationSource { Path: var p } && p == Path.GetFileName(file));
        Assert.DoesNotContain(((IConfigurationBuilder)builder.Configuration).Sources, s => s is JsonConfigurationSource and not IndexedJsonConfigurationSource);
        var viaIndex = builder.Configuration.GetSection(FeedWorkerOptions.SectionName).Get<FeedWorkerOptions>()!;
        var viaStock = new ConfigurationBuilder().AddJsonFile(file).Build().GetSection(FeedWorkerOptions.SectionName).Get<FeedWorkerOptions>()!;
        Assert.Equal(300, viaIndex.Feeds.Count);
        Assert.Equal(JsonSerializer.Serialize(viaStock), JsonSerializer.Serialize(viaIndex));
    }

    private static Func<string, IEnumerable<string>> Descendants(IConfigurationProvider provider) => path =>
        new[] { path }.Concat(provider.GetChildKeys([], path).Distinct().SelectMany(child => Descendants(provider)(path + ":" + child)));

    private (IConfigurationProvider Stock, IConfigurationProvider Indexed) Providers(string json)
    {
        var file = Write(json);
        var stock = Source<JsonConfigurationSource>(file).Build(new ConfigurationBuilder());
        var indexed = Source<IndexedJsonConfigurationSource>(file).Build(new ConfigurationBuilder());
        stock.Load();
        indexed.Load();
        return (stock, indexed);
    }

    private static T Source<T>(string file) where T : JsonConfigurationSource, new() =>
        new() { Path = Path.GetFileName(file), FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(file)!), Optional = false };

    private string Write(string json)
    {
        var file = Path.Combine(_folder, $"settings-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        return file;
    }
}
