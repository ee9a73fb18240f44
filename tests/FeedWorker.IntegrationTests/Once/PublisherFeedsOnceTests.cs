using System.Text.Json;
using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Storage;
using Npgsql;

namespace FeedWorker.IntegrationTests.Once;

/// <summary>
/// The feeds real publishers write (seeds/antiwar-*.rss.xml, seeds/antiwar-textonly.json), read from their files as the
/// default configuration reads the seed feed: what <c>parse</c> prints and what <c>once</c> stores.
/// </summary>
public sealed class PublisherFeedsOnceTests : IAsyncLifetime
{
    private const string StoryLink = "https://news.antiwar.com/2020/09/27/us-warns-iraq-it-may-close-baghdad-embassy/";
    private const string StoryImage = "https://news.antiwar.com/wp-content/uploads/2020/09/baghdad-embassy-640x360.jpg";

    private readonly List<TestDatabase> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Once_stores_names_clean_links_summaries_media_text_and_resolved_links_from_the_news_desk_file()
    {
        var database = await FreshDatabaseAsync();

        var run = await FeedWorkerProcess.RunAsync(FeedWorkerProcess.Environment(database, [Seeds.PathOf("antiwar-newsdesk.rss.xml")]), "once");

        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = await ArticlesAsync(database);
        Assert.Equal(3, rows.Count);
        var story = rows["https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/?utm_source=rss&utm_medium=rss"];
        Assert.Equal("https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/?amp=1#comments", story.Url);
        Assert.Equal("Jason Ditz", story.Author);
        Assert.Equal("Is the US pulling back from Iraq or about to start another big conflict", story.Summary);
        Assert.Contains($"href=\"{StoryLink}\"", story.ContentHtml);
        Assert.Contains($"src=\"{StoryImage}\"", story.ContentHtml);
        Assert.DoesNotContain("Advertisement", story.ContentHtml);
        Assert.DoesNotContain("newsletter", story.ContentHtml);
        Assert.DoesNotContain("Related stories", story.ContentHtml);
        Assert.DoesNotContain("Green Zone Rocket Fire", story.ContentHtml);
        Assert.DoesNotContain("Green Zone Rocket Fire", story.ContentText);
        var photo = rows["https://news.antiwar.com/?p=215835"];
        Assert.Equal("https://news.antiwar.com/photos/2020/09/30/baghdad-airport/", photo.Url);
        Assert.Equal("photodesk@antiwar.com", photo.Author);
        Assert.StartsWith("A crater left by a rocket", photo.Summary);
        Assert.Contains("baghdad-airport-320.jpg", photo.ContentHtml);
        Assert.Equal("Dave DeCamp", rows["https://news.antiwar.com/?p=215833"].Author);
        Assert.Equal("https://news.antiwar.com/", await ScalarAsync(database, "SELECT site_url FROM feeds"));
    }

    [Fact]
    public async Task Once_stores_json_content_text_with_its_paragraphs()
    {
        var database = await FreshDatabaseAsync();

        var run = await FeedWorkerProcess.RunAsync(FeedWorkerProcess.Environment(database, [Seeds.PathOf("antiwar-textonly.json")]), "once");

        Assert.True(run.ExitCode == 0, run.ToString());
        var notes = (await ArticlesAsync(database))["https://news.antiwar.com/?p=215840"];
        Assert.Equal("<p>Feeds now carry full text.<br>The old /rss.php address still works.</p><p>Tags with &lt;angle brackets&gt; &amp; ampersands are shown as written.</p>", notes.ContentHtml);
        Assert.Contains("still works.\n\nTags with <angle brackets> & ampersands", notes.ContentText);
    }

    [Fact]
    public async Task The_default_seed_feed_stores_its_relative_link_and_image_resolved()
    {
        var database = await FreshDatabaseAsync();

        var run = await FeedWorkerProcess.RunAsync(FeedWorkerProcess.Environment(database, [Seeds.PathOf("antiwar-wordpress.rss.xml")]), "once");

        Assert.True(run.ExitCode == 0, run.ToString());
        var story = (await ArticlesAsync(database))["https://news.antiwar.com/?p=215829"];
        Assert.Contains($"<a href=\"{StoryLink}\">", story.ContentHtml);
        Assert.Contains($"src=\"{StoryImage}\"", story.ContentHtml);
    }

    [Fact]
    public async Task A_configured_base_url_resolves_a_file_without_a_site_link_and_without_it_the_feed_is_warned()
    {
        using var files = new FeedFiles();
        var path = Path.Combine(files.Directory, "notes.xml");
        await File.WriteAllTextAsync(path, """
            <rss version="2.0"><channel><title>Local notes</title>
            <item><title>Moved</title><guid>n1</guid><description>&lt;p&gt;See &lt;a href="/notes/2/"&gt;part two&lt;/a&gt;.&lt;/p&gt;</description></item>
            </channel></rss>
            """);
        var withBase = await FreshDatabaseAsync();
        var environment = FeedWorkerProcess.Environment(withBase, [path]);
        environment["FeedWorker__Feeds__0__BaseUrl"] = "https://notes.example.org/";

        var resolved = await FeedWorkerProcess.RunAsync(environment, "once");
        var unresolved = await FeedWorkerProcess.RunAsync(FeedWorkerProcess.Environment(await FreshDatabaseAsync(), [path]), "once");

        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        Assert.Contains("<a href=\"https://notes.example.org/notes/2/\">part two</a>", (await ArticlesAsync(withBase))["n1"].ContentHtml);
        Assert.DoesNotContain("cannot be resolved", resolved.Stdout + resolved.Stderr);
        Assert.True(unresolved.ExitCode == 0, unresolved.ToString());
        Assert.Contains("item 1 ('Moved'): 1 relative link(s) such as '/notes/2/' cannot be resolved", unresolved.Stdout + unresolved.Stderr);
    }

    [Fact]
    public async Task A_base_url_that_is_not_a_web_address_stops_the_start_with_its_path()
    {
        var environment = FeedWorkerProcess.Environment(await FreshDatabaseAsync(), [Seeds.PathOf("antiwar-newsdesk.rss.xml")]);
        environment["FeedWorker__Feeds__0__BaseUrl"] = "/var/www";

        var run = await FeedWorkerProcess.RunAsync(environment, "once");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FeedWorker:Feeds:0:BaseUrl: '/var/www' is not an absolute http(s) URL", run.Stderr);
    }

    [Fact]
    public async Task Parse_prints_the_same_fields_for_the_seed_files()
    {
        var run = await FeedWorkerProcess.RunAsync(new Dictionary<string, string>(), "parse", Seeds.PathOf("antiwar-newsdesk.rss.xml"), Seeds.PathOf("antiwar-textonly.json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var desk = lines[0].GetProperty("feed");
        Assert.Equal("https://news.antiwar.com/", desk.GetProperty("link").GetString());
        var story = desk.GetProperty("articles")[0];
        Assert.Equal("Jason Ditz", story.GetProperty("author").GetString());
        Assert.Equal("https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/?amp=1#comments", story.GetProperty("url").GetString());
        Assert.Equal("Is the US pulling back from Iraq or about to start another big conflict", story.GetProperty("summary").GetString());
        Assert.Contains($"href=\"{StoryLink}\"", story.GetProperty("contentHtml").GetString());
        Assert.DoesNotContain("Related stories", story.GetProperty("contentHtml").GetString());
        Assert.StartsWith("A crater left by a rocket", desk.GetProperty("articles")[1].GetProperty("summary").GetString());
        var json = lines[1].GetProperty("feed").GetProperty("articles")[0];
        Assert.Equal("https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/", json.GetProperty("url").GetString());
        Assert.Contains("\n\n", json.GetProperty("contentText").GetString());
    }

    private sealed record StoredArticle(string? Url, string? Author, string? Summary, string? ContentHtml, string? ContentText);

    private static async Task<Dictionary<string, StoredArticle>> ArticlesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT guid, url, author, summary, content_html, content_text FROM articles", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, StoredArticle>();
        while (await reader.ReadAsync())
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            rows[reader.GetString(0)] = new StoredArticle(Text(1), Text(2), Text(3), Text(4), Text(5));
        }
        return rows;
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() as string;
    }

    private async Task<string> FreshDatabaseAsync()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        _databases.Add(database);
        return database.ConnectionString;
    }
}
