using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;

namespace FeedWorker.IntegrationTests.Archive;

/// <summary><c>FeedWorker:Feeds:N:Language</c> chooses the search configuration of a feed that names no language, and only of such a feed.</summary>
public sealed class ConfiguredLanguageTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_configured_language_applies_when_the_feed_names_none_and_the_feeds_own_language_wins()
    {
        await using var server = await CountingFeedServer.StartAsync();
        server.Publish("silent", FeedFiles.Rss("silent", [new FeedItem("silent-1", "https://silent.example/1", "Kinder", "Die Kinder spielten mit den Bällen.")]));
        server.Publish("french", FeedFiles.Rss("french", [new FeedItem("french-1", "https://french.example/1", "Enfants", "Les enfants mangeaient des pommes.")])
            .Replace("<description>Test feed french</description>", "<description>Test feed french</description><language>fr</language>", StringComparison.Ordinal));
        var environment = FeedWorkerProcess.Environment(database.ConnectionString, [server.Url("silent"), server.Url("french")]);
        environment["FeedWorker__Feeds__0__Language"] = "de";
        environment["FeedWorker__Feeds__1__Language"] = "de";

        var once = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.True(once.ExitCode == 0, once.ToString());
        Assert.Equal(2, await Cluster.ScalarAsync(database, "SELECT count(*) FROM feeds WHERE language = 'de'"));
        Assert.Equal(1, await Cluster.ScalarAsync(database,
            "SELECT count(*) FROM articles WHERE guid = 'silent-1' AND search_config = 'german'::regconfig AND search_vector @@ websearch_to_tsquery('german', 'Ball')"));
        Assert.Equal(1, await Cluster.ScalarAsync(database,
            "SELECT count(*) FROM articles WHERE guid = 'french-1' AND search_config = 'french'::regconfig AND search_vector @@ websearch_to_tsquery('french', 'manger')"));
    }
}
