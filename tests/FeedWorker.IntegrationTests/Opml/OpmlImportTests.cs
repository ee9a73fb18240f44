using System.Security;
using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;

namespace FeedWorker.IntegrationTests.Opml;

/// <summary><c>FeedWorker:OpmlFiles</c> through the real executable: import, tags, origin, and bad files.</summary>
public sealed class OpmlImportTests : FreshDatabaseTest
{
    [Fact]
    public async Task Once_imports_an_opml_file_relative_to_the_content_root_with_folders_and_categories_as_tags()
    {
        var linux = Files.Write("opml-linux", FeedFiles.Items("opml-linux", 3, firstSeed: 5000));
        var news = Files.Write("opml-news", FeedFiles.Items("opml-news", 2, firstSeed: 5100));
        var twice = Files.Write("opml-twice", FeedFiles.Items("opml-twice", 2, firstSeed: 5200));
        var configured = Files.Write("opml-config", FeedFiles.Items("opml-config", 1, firstSeed: 5300));
        // the configured entry wins over the same URL in the OPML file
        var opml = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <opml version="1.0">
              <head><title>subscriptions</title></head>
              <body>
                <outline text="Tech">
                  <outline title="Linux">
                    <outline type="rss" text="Linux Weekly" xmlUrl="{Attr(linux)}" />
                    <outline type="rss" text="Twice" xmlUrl="{Attr(twice)}" />
                  </outline>
                </outline>
                <outline text="Local">
                  <outline type="rss" text="Twice again" xmlUrl="{Attr(twice)}" />
                </outline>
                <outline type="rss" text="Daily news" title="The Daily News" xmlUrl="{Attr(news)}" category="/World/Europe,/Politics" />
                <outline type="rss" text="Shadowed" xmlUrl="{Attr(configured)}" />
                <outline type="link" text="A blog's home page, not a feed" url="https://example.org/" />
              </body>
            </opml>
            """;
        var name = $"opml-test-{Guid.NewGuid():N}.opml";
        var path = Path.Combine(AppContext.BaseDirectory, name);
        await File.WriteAllTextAsync(path, opml);
        try
        {
            var environment = FeedWorkerProcess.Environment(Database.ConnectionString, [configured]);
            environment["FeedWorker__Feeds__0__Name"] = "Configured";
            environment["FeedWorker__Feeds__0__Tags__0"] = "configured";
            environment["FeedWorker__OpmlFiles__0"] = name;

            var result = await FeedWorkerProcess.RunAsync(environment, "once");

            Assert.True(result.ExitCode == 0, result.ToString());
            var rows = await FeedRow.ReadAsync(Database.ConnectionString);
            Assert.Equal(new FeedRow(Url(linux), "Linux Weekly", "opml", true, "Linux,Tech"), rows[Url(linux)]);
            Assert.Equal(new FeedRow(Url(twice), "Twice", "opml", true, "Linux,Local,Tech"), rows[Url(twice)]);
            Assert.Equal(new FeedRow(Url(news), "The Daily News", "opml", true, "Europe,Politics,World"), rows[Url(news)]);
            Assert.Equal(new FeedRow(Url(configured), "Configured", "config", true, "configured"), rows[Url(configured)]);
            Assert.Equal(4, rows.Count);
            var articles = await Cluster.ArticlesPerFeedAsync(Database);
            Assert.Equal(3, articles[Url(linux)]);
            Assert.Equal(2, articles[Url(news)]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "<?xml version=\"1.0\"?><!DOCTYPE opml [<!ENTITY boom \"boom\">]><opml version=\"2.0\"><body/></opml>", "DTD" },
        { "<opml version=\"2.0\"><body><outline text=\"x\"", "not well-formed XML" },
        { "<rss version=\"2.0\"><channel/></rss>", "the root element is <rss>, not <opml>" },
        { "<opml version=\"2.0\">\n<body>\n<outline type=\"rss\" text=\"No URL\" />\n</body></opml>", "line 3: the rss outline 'No URL' has no xmlUrl" },
        { "<opml version=\"2.0\"><head/></opml>", "<opml> has no <body>" },
        { "<opml version=\"2.0\"><body><outline type=\"rss\" text=\"x\" xmlUrl=\"gopher://old.example/feed\" /></body></opml>", "xmlUrl 'gopher://old.example/feed' is not an absolute http(s) URL or file path" },
        {
            $"<opml version=\"2.0\"><body><outline type=\"rss\" text=\"x\" xmlUrl=\"https://long.example/{new string('a', 3000)}\" /></body></opml>",
            $"xmlUrl 'https://long.example/{new string('a', 39)}…' is 3021 bytes long; a feed URL may have at most 2048"
        },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_opml_file_stops_once_with_the_configuration_path_the_file_and_the_cause(string content, string cause)
    {
        var path = Path.Combine(Files.Directory, $"bad-{Guid.NewGuid():N}.opml");
        await File.WriteAllTextAsync(path, content);
        var environment = FeedWorkerProcess.Environment(Database.ConnectionString, []);
        environment["FeedWorker__OpmlFiles__0"] = path;

        var result = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"configuration error: FeedWorker:OpmlFiles:0: OPML file '{path}': ", result.Stderr);
        Assert.Contains(cause, result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_missing_opml_file_is_named_with_its_full_path()
    {
        var missing = Path.Combine(Files.Directory, "nowhere.opml");
        var environment = FeedWorkerProcess.Environment(Database.ConnectionString, []);
        environment["FeedWorker__OpmlFiles__0"] = missing;

        var result = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"FeedWorker:OpmlFiles:0: OPML file '{missing}': Could not find file", result.Stderr);
    }

    private static string Attr(string text) => SecurityElement.Escape(text);
}
