using System.Text.RegularExpressions;
using FeedWorker.Ingestion;
using Npgsql;

namespace FeedWorker.IntegrationTests.Storage;

/// <summary>
/// Every ```sql block of README.md's query sections (the SQL cookbook, revision history and search by
/// language) runs on a migrated database with stored articles and finds rows.
/// </summary>
public sealed partial class SchemaCookbookTests : IClassFixture<StorageHost>, IAsyncLifetime
{
    private readonly StorageHost _host;
    private readonly FeedFiles _files = new();

    public SchemaCookbookTests(StorageHost host) => _host = host;

    public async Task InitializeAsync()
    {
        var items = FeedFiles.Items("cook", 4, firstSeed: 2000);
        // the words, author and dates the cookbook's examples look for (they match the quick start's seed fixtures too)
        items[0] = items[0] with
        {
            Title = "US Threat to Evacuate Iraq Embassy Raises Fear of War", Author = "Jason Ditz", Published = new DateTimeOffset(2020, 9, 30, 21, 11, 24, TimeSpan.Zero),
        };
        await _host.StoreFileAsync(_files.Write("cook-a", items), "en");
        // the second story (article 2) changes its headline: revision 1 is kept
        items[1] = items[1] with { Title = "Council approves the amended budget" };
        await _host.StoreFileAsync(_files.Write("cook-a", items), "en");
        // the same first story in another feed, and a near copy of a long story
        var original = new FeedItem("cook-long", "https://news.example/cook/long", "Long story", FeedFiles.Body(502, words: 250));
        var nearCopy = new FeedItem("cook-near", "https://other.example/cook/near", "Long story (syndicated)", original.Body + " Copyright 2026 Other Example.");
        await _host.StoreFileAsync(_files.Write("cook-b", [items[0] with { Guid = "b-cook-0" }, original]));
        await _host.StoreFileAsync(_files.Write("cook-c", [nearCopy]));
        // a story in French, from a feed that says so
        var french = _files.Write("cook-fr", [new FeedItem("cook-fr", "https://journal.example/budget", "Le conseil vote le budget",
            "Le conseil a adopté le budget municipal après de longs débats sur les écoles et les transports.")]);
        await _host.StoreFileAsync(french, "fr");
        // a failing feed
        var failing = await _host.Feeds.EnsureAsync("https://failing.example/feed.xml", CancellationToken.None);
        await _host.Feeds.RecordFailureAsync(failing, 503, "HTTP 503 Service Unavailable", FeedErrorKind.ServerError, null, cancellationToken: CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _files.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string> Queries()
    {
        var data = new TheoryData<string>();
        var readme = File.ReadAllText(RepositoryFiles.Find("README.md"));
        var start = readme.IndexOf("\n## SQL cookbook", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## Change notifications", start, StringComparison.Ordinal);
        foreach (Match block in SqlBlock().Matches(readme[start..end]))
        {
            data.Add(block.Groups[1].Value.Trim());
        }
        return data;
    }

    [Fact]
    public void The_cookbook_holds_every_documented_query()
    {
        Assert.Equal(12, Queries().Count);
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Each_query_runs_and_returns_rows(string sql)
    {
        await using var connection = await _host.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no rows from:\n{sql}");
    }

    [GeneratedRegex(@"```sql\s*\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();
}
