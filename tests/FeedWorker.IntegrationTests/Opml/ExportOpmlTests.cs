using System.Xml.Linq;
using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Storage;
using Npgsql;

namespace FeedWorker.IntegrationTests.Opml;

/// <summary><c>FeedWorker export-opml</c>: OPML 2.0 of the enabled feeds that imports back to the same list.</summary>
public sealed class ExportOpmlTests : FreshDatabaseTest
{
    private readonly TestDatabase _second = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await _second.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task Export_prints_opml_2_of_the_enabled_feeds_and_importing_it_recreates_the_same_feed_list()
    {
        var a = Files.Write("export-a", FeedFiles.Items("export-a", 2, firstSeed: 6000));
        var b = Files.Write("export-b", FeedFiles.Items("export-b", 2, firstSeed: 6100));
        var dropped = Files.Write("export-dropped", FeedFiles.Items("export-dropped", 2, firstSeed: 6200));
        var environment = FeedWorkerProcess.Environment(Database.ConnectionString, [a, b, dropped]);
        environment["FeedWorker__Feeds__0__Name"] = "Alpha & <Omega>";
        environment["FeedWorker__Feeds__0__Tags__0"] = "science";
        environment["FeedWorker__Feeds__0__Tags__1"] = "long reads";
        environment["FeedWorker__Feeds__1__Name"] = "Beta";
        environment["FeedWorker__Feeds__2__Name"] = "Dropped";
        var once = await FeedWorkerProcess.RunAsync(environment, "once");
        Assert.True(once.ExitCode == 0, once.ToString());
        await using (var connection = await Database.OpenAsync())
        {
            await using var disable = new NpgsqlCommand($"UPDATE feeds SET enabled = false, disabled_reason = 'test' WHERE url = '{Url(dropped)}'", connection);
            Assert.Equal(1, await disable.ExecuteNonQueryAsync());
        }

        var export = await FeedWorkerProcess.RunAsync(FeedWorkerProcess.Environment(Database.ConnectionString, []), "export-opml");

        Assert.True(export.ExitCode == 0, export.ToString());
        var opml = XDocument.Parse(export.Stdout);
        Assert.Equal("opml", opml.Root!.Name.LocalName);
        Assert.Equal("2.0", (string?)opml.Root.Attribute("version"));
        Assert.NotNull(opml.Root.Element("head")?.Element("title"));
        var outlines = opml.Root.Element("body")!.Elements("outline").ToDictionary(o => (string)o.Attribute("xmlUrl")!);
        var original = await FeedRow.ReadAsync(Database.ConnectionString);
        Assert.Equal(original.Values.Where(f => f.Enabled).Select(f => f.Url).Order(), outlines.Keys.Order());
        Assert.DoesNotContain(Url(dropped), outlines.Keys);
        Assert.Equal("Alpha & <Omega>", (string?)outlines[Url(a)].Attribute("text"));
        Assert.Equal("/science,/long reads", (string?)outlines[Url(a)].Attribute("category"));
        Assert.Equal("rss", (string?)outlines[Url(b)].Attribute("type"));

        // import the export alone into a fresh database: the same feeds, names and tags come back
        var exported = Path.Combine(Files.Directory, "exported.opml");
        await File.WriteAllTextAsync(exported, export.Stdout);
        var reimport = FeedWorkerProcess.Environment(_second.ConnectionString, []);
        reimport["FeedWorker__OpmlFiles__0"] = exported;
        var second = await FeedWorkerProcess.RunAsync(reimport, "once");
        Assert.True(second.ExitCode == 0, second.ToString());
        // (the default configuration's seed entry joins as 'config' there: only the OPML rows are the round trip)
        var imported = (await FeedRow.ReadAsync(_second.ConnectionString)).Values.Where(f => f.Origin == "opml").OrderBy(f => f.Url).ToList();
        Assert.Equal(original.Values.Where(f => f.Enabled).Select(f => f with { Origin = "opml" }).OrderBy(f => f.Url), imported);
        Assert.Contains(new FeedRow(Url(a), "Alpha & <Omega>", "opml", true, "long reads,science"), imported);
    }
}
