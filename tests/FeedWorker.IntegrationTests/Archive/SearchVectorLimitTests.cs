using System.Globalization;
using System.Text;
using System.Text.Json;
using FeedWorker.IntegrationTests.Refresh;
using FeedWorker.IntegrationTests.Scheduling;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Refresh;
using FeedWorker.Storage.Migrations;
using Npgsql;

namespace FeedWorker.IntegrationTests.Archive;

/// <summary>
/// PostgreSQL refuses a tsvector over 1 MB. A story whose text would make one is stored whole, searchable by the start of
/// its text, instead of being skipped; a long text whose vector fits is indexed to its end.
/// </summary>
public sealed class SearchVectorLimitTests : IClassFixture<RefreshHost>
{
    private static readonly int UnguardedTextBytes = int.Parse(BoundedSearchVector.UnguardedTextBytes, CultureInfo.InvariantCulture);
    private readonly RefreshHost _host;

    public SearchVectorLimitTests(RefreshHost host) => _host = host;

    /// <summary>A JSON Feed of one item with this text.</summary>
    private static string JsonFeed(string name, string text) => JsonSerializer.Serialize(new
    {
        version = "https://jsonfeed.org/version/1.1",
        title = name,
        items = new[] { new { id = $"{name}-1", url = $"https://{name}.example/1", title = "Long story", content_text = text } },
    });

    /// <summary>
    /// 440,000 characters of Chinese in phrases of 6-12 characters. The text search parser takes each phrase between two
    /// stops as one word, so nearly every word is distinct, as in a long real article. The stops are ASCII: under a C
    /// locale the parser takes every non-ASCII character, full-width stops included, for a letter.
    /// </summary>
    private static string LongChinese()
    {
        var random = new Random(440_000);
        var text = new StringBuilder();
        while (text.Length < 440_000)
        {
            for (var n = random.Next(6, 13); n > 0; n--) text.Append((char)random.Next(0x4E00, 0x9FA6));
            text.Append(random.Next(4) == 0 ? ". " : ", ");
        }
        return text.ToString().TrimEnd();
    }

    [Fact]
    public async Task A_text_too_long_for_one_search_vector_is_stored_whole_and_found_by_its_start()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var text = LongChinese();
        server.Publish("chinese", JsonFeed("chinese", text));

        var outcome = await _host.RefreshAsync(server.Url("chinese"));

        Assert.Equal(FeedRefreshStatus.Stored, outcome.Status);
        var row = await _host.FeedRowAsync(server.Url("chinese"));
        Assert.Equal((1L, 0), (row.Links, row.WarningCount));
        Assert.Equal(text.Length, await _host.ScalarAsync<int>("SELECT length(content_text) FROM articles WHERE guid = 'chinese-1'"));
        Assert.True(await FindsAsync(PhraseAfter(text, 0)), "the first phrase is not found");
        // the whole text's vector would be 20 % over the limit (1,257,130 bytes): that of its first 75 % fits and is kept
        Assert.True(await FindsAsync(PhraseAfter(text, text.Length * 7 / 10)), "a phrase at 70 % of the text is not found");
        // the whole text's vector is what PostgreSQL refuses: without the bound the story would have been skipped
        var refused = await Assert.ThrowsAsync<PostgresException>(() => _host.ScalarAsync<object>(
            "SELECT to_tsvector(search_config, content_text) FROM articles WHERE guid = 'chinese-1'"));
        Assert.Equal(PostgresErrorCodes.ProgramLimitExceeded, refused.SqlState);
        // an update rebuilds the vector the same way: the start-up backfill sets search_config on older rows
        await _host.ExecuteAsync("""
            UPDATE articles SET search_vector = NULL,
                search_config = CASE WHEN search_config = 'simple'::regconfig THEN 'english'::regconfig ELSE 'simple'::regconfig END
            WHERE guid = 'chinese-1'
            """);
        Assert.True(await FindsAsync(PhraseAfter(text, 0)), "the first phrase is not found after an update");
    }

    /// <summary>The first whole phrase that starts at or after <paramref name="start"/>.</summary>
    private static string PhraseAfter(string text, int start)
    {
        if (start > 0) start = text.IndexOf(' ', start) + 1;
        return text[start..text.IndexOfAny([',', '.'], start)];
    }

    private Task<bool> FindsAsync(string phrase) => _host.ScalarAsync<bool>(
        $"SELECT search_vector @@ to_tsquery(search_config, '{phrase}') FROM articles WHERE guid = 'chinese-1'");

    [Fact]
    public async Task A_long_text_whose_vector_fits_is_indexed_to_its_end()
    {
        await using var server = await CountingFeedServer.StartAsync();
        var text = FeedFiles.Body(4_000, words: 20_000) + " The last word is zeppelin.";
        Assert.True(Encoding.UTF8.GetByteCount(text) > UnguardedTextBytes, "the text must take the guarded path");
        server.Publish("longprose", JsonFeed("longprose", text));

        Assert.Equal(FeedRefreshStatus.Stored, (await _host.RefreshAsync(server.Url("longprose"))).Status);

        Assert.True(await _host.ScalarAsync<bool>(
            "SELECT search_vector @@ to_tsquery(search_config, 'zeppelin') FROM articles WHERE guid = 'longprose-1'"));
    }

    /// <summary>Distinct three-letter words joined in threes by hyphens: each compound is indexed with its three parts, the densest text tried.</summary>
    [Fact]
    public async Task Below_the_guarded_size_the_densest_text_makes_a_vector_well_under_the_limit()
    {
        var random = new Random(65_536);
        string Part() => string.Concat(Enumerable.Range(0, 3).Select(_ => (char)random.Next('a', 'z' + 1)));
        var text = new StringBuilder();
        while (text.Length < UnguardedTextBytes - 12) text.Append(Part()).Append('-').Append(Part()).Append('-').Append(Part()).Append(' ');

        await using var connection = new NpgsqlConnection(_host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_column_size(to_tsvector('simple', @text))", connection);
        command.Parameters.AddWithValue("text", text.ToString());
        var size = (int)(await command.ExecuteScalarAsync())!;

        Assert.True(size > 3 * text.Length, $"a {size}-byte vector: the text is not as dense as the bound assumes");
        Assert.True(size < 1_048_575 / 2, $"a {size}-byte vector from {text.Length} bytes of text");
    }
}
