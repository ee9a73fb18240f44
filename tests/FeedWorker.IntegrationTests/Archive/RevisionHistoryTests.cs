using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;
using Npgsql;

namespace FeedWorker.IntegrationTests.Archive;

/// <summary>A story edited twice by its publisher keeps both earlier versions, and <c>history</c> shows each change.</summary>
public sealed class RevisionHistoryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Feed = "edited";
    private const string FirstText = "The council met on Monday after a long debate and voted on the budget for the coming year.";
    private const string SecondText = "The council met on Tuesday after a long debate and voted on the budget for the coming year.";
    private const string ThirdText = "The council met on Tuesday after a short debate and voted on the budget for the coming year.";

    [Fact]
    public async Task Two_edits_make_two_revisions_history_prints_both_diffs_and_unchanged_or_non_content_changes_make_none()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var environment = FeedWorkerProcess.Environment(database.ConnectionString, [server.Url(Feed)]);
        var neighbour = new FeedItem("neighbour", "https://news.example/neighbour", "Harbour reopens", FeedFiles.Body(4242));

        await PollAsync(server, environment, Story("Council approves budget", FirstText), neighbour);
        var id = await ScalarAsync<long>("SELECT id FROM articles WHERE guid = 'budget-story'");
        await PollAsync(server, environment, Story("Council approves budget", SecondText), neighbour);
        await PollAsync(server, environment, Story("Council rejects budget", ThirdText), neighbour);

        var revisions = await RevisionsAsync(id);
        Assert.Equal(
            [(1, "Council approves budget", FirstText), (2, "Council approves budget", SecondText)],
            revisions);
        Assert.Equal(3, await ScalarAsync<int>($"SELECT revision FROM articles WHERE id = {id}"));
        Assert.Equal(ThirdText, await ScalarAsync<string>($"SELECT content_text FROM articles WHERE id = {id}"));

        // fetched again (a new ETag) with the same items; then with a change to no content field
        await PollAsync(server, environment, Story("Council rejects budget", ThirdText), neighbour, description: "Same items, new channel text");
        await PollAsync(server, environment, Story("Council rejects budget", ThirdText), neighbour, category: "Politics");
        Assert.Equal(2, await ScalarAsync<long>("SELECT count(*) FROM article_revisions"));
        Assert.Equal(3, await ScalarAsync<int>($"SELECT revision FROM articles WHERE id = {id}"));
        Assert.Equal(["Politics"], await ScalarAsync<string[]>($"SELECT categories FROM articles WHERE id = {id}"));

        var history = await FeedWorkerProcess.RunAsync(environment, "history", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(history.ExitCode == 0, history.ToString());
        var lines = history.Stdout.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("Revision 1 (replaced ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Revision 2 (replaced ", StringComparison.Ordinal));
        Assert.Contains("Revision 3 (current)", lines);
        var diffs = lines.Where(l => l.StartsWith("text:", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, diffs.Count);
        Assert.Equal("text: " + FirstText, diffs[0]);
        Assert.Contains("on [-Monday-]{+Tuesday+} after", diffs[1]);
        Assert.DoesNotContain("[-", diffs[1].Replace("[-Monday-]", "", StringComparison.Ordinal));
        Assert.Contains("a [-long-]{+short+} debate", diffs[2]);
        var titles = lines.Where(l => l.StartsWith("title:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["title: Council approves budget", "title: (unchanged)", "title: Council [-approves-]{+rejects+} budget"], titles);

        var missing = await FeedWorkerProcess.RunAsync(environment, "history", "999999");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no article 999999", missing.Stderr);
    }

    private static FeedItem Story(string title, string text) => new("budget-story", "https://news.example/budget", title, text);

    private static async Task PollAsync(
        CountingFeedServer server, Dictionary<string, string> environment, FeedItem story, FeedItem neighbour,
        string? description = null, string? category = null)
    {
        var xml = FeedFiles.Rss(Feed, [story, neighbour]);
        if (description is not null) xml = xml.Replace($"Test feed {Feed}", description, StringComparison.Ordinal);
        if (category is not null) xml = xml.Replace("</guid>", $"</guid><category>{category}</category>", StringComparison.Ordinal);
        server.Publish(Feed, xml);
        var once = await FeedWorkerProcess.RunAsync(environment, "once");
        Assert.True(once.ExitCode == 0, once.ToString());
    }

    private async Task<List<(int, string, string)>> RevisionsAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT revision, title, content_text FROM article_revisions WHERE article_id = @id ORDER BY revision", connection);
        command.Parameters.AddWithValue("id", id);
        var rows = new List<(int, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        return rows;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
