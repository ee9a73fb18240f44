using System.Text.RegularExpressions;
using FeedWorker.IntegrationTests.Once;
using FeedWorker.IntegrationTests.Storage;
using Npgsql;

namespace FeedWorker.IntegrationTests.Opml;

/// <summary><c>FeedWorker feeds</c> with stdout redirected: one readable line per feed, compact or <c>--wide</c>.</summary>
public sealed class FeedsCommandTests : FreshDatabaseTest
{
    [Fact]
    public async Task Feeds_lists_every_feed_with_its_state_error_and_article_count()
    {
        var good = Files.Write("status-good", FeedFiles.Items("status-good", 7, firstSeed: 7000));
        var paused = Files.Write("status-paused", FeedFiles.Items("status-paused", 3, firstSeed: 7100));
        var missing = Path.Combine(Files.Directory, "status-missing.xml");
        var environment = FeedWorkerProcess.Environment(Database.ConnectionString, [good, paused, missing]);
        environment["FeedWorker__Feeds__0__Name"] = "Good [feed]";
        var once = await FeedWorkerProcess.RunAsync(environment, "once");
        Assert.True(once.ExitCode == 0, once.ToString());
        await using (var connection = await Database.OpenAsync())
        {
            await using var pause = new NpgsqlCommand($"UPDATE feeds SET enabled = false, disabled_reason = 'paused by the operator' WHERE url = '{Url(paused)}'", connection);
            Assert.Equal(1, await pause.ExecuteNonQueryAsync());
        }
        var error = await ScalarAsync<string>($"SELECT last_error FROM feeds WHERE url = '{Url(missing)}'");

        var result = await FeedWorkerProcess.RunAsync(environment, "feeds", "--wide");

        Assert.True(result.ExitCode == 0, result.ToString());
        // redirected: no colour codes, no wrapping
        Assert.DoesNotContain("\u001b[", result.Stdout, StringComparison.Ordinal);
        var lines = result.Stdout.Split('\n');
        var goodLine = Assert.Single(lines, l => l.Contains(Url(good), StringComparison.Ordinal));
        Assert.Contains($"Good [feed] <{Url(good)}>", goodLine);
        Assert.Matches(@"\byes\b", goodLine);
        Assert.Matches(@"\s0\s.*\s7\s\S\s*$", goodLine); // no errors, 7 articles (the last column)
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", goodLine); // last success

        var pausedLine = Assert.Single(lines, l => l.Contains(Url(paused), StringComparison.Ordinal));
        Assert.Contains("no: paused by the operator", pausedLine);
        Assert.Matches(@"\s3\s\S\s*$", pausedLine);

        var missingLine = Assert.Single(lines, l => l.Contains(Url(missing), StringComparison.Ordinal));
        Assert.Contains(error.ReplaceLineEndings(" "), missingLine);
        Assert.Matches(@"\s1\s.*\s0\s\S\s*$", missingLine); // one error, no article
        Assert.Contains("3 feed(s), 2 enabled, 1 failing", result.Stdout);

        // the default: 120 columns at most, a line per feed, long texts cut
        var compact = await FeedWorkerProcess.RunAsync(environment, "feeds");
        Assert.True(compact.ExitCode == 0, compact.ToString());
        var compactLines = compact.Stdout.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.All(compactLines, l => Assert.True(l.Length <= 120, $"{l.Length} columns: {l}"));
        Assert.Equal(5, compactLines.Count); // the header, three feeds, the count
        Assert.Matches(@"^\s*\d+\s+Good \[feed\]\s+yes\s+\d\d-\d\d \d\d:\d\d\s+0\s+7$", Assert.Single(compactLines, l => l.Contains("Good [feed]")));
        Assert.Single(compactLines, l => l.Contains("no: paused by the operator") && l.EndsWith(" 3", StringComparison.Ordinal));
        Assert.Single(compactLines, l => l.Contains("missing.xml") && Regex.IsMatch(l, @"\s1\s+0\s+\S"));
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
