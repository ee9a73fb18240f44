using System.Text;
using AngleSharp.Html.Parser;
using FeedWorker.Ingestion.Parsing;
using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

/// <summary>
/// JSON Feed strings of any length and escaping reach every field whole and decoded: CodeHollow.FeedReader
/// reads a skeleton of the document (<see cref="JsonFeedSkeleton"/>), and long strings come back from System.Text.Json.
/// </summary>
public sealed class JsonFeedStringTests
{
    /// <summary>Text of <paramref name="length"/> characters, every third one needing an escape, as (JSON literal, decoded value).</summary>
    private static (string Json, string Text) EscapeHeavy(int length, int seed)
    {
        var random = new Random(seed);
        var json = new StringBuilder("\"");
        var text = new StringBuilder();
        (string Escaped, char Decoded)[] escapes = [("\\\"", '"'), ("\\n", '\n'), ("\\u0001", '\u0001'), ("\\\\", '\\'), ("\\/", '/'), ("\\u00e9", 'é')];
        for (var i = 0; i < length; i++)
        {
            if (i % 3 == 0)
            {
                var (escaped, decoded) = escapes[random.Next(escapes.Length)];
                json.Append(escaped);
                text.Append(decoded);
            }
            else
            {
                var letter = (char)random.Next('a', 'z' + 1);
                json.Append(letter);
                text.Append(letter);
            }
        }
        return (json.Append('"').ToString(), text.ToString());
    }

    [Fact]
    public void A_megabyte_of_escapes_in_every_field_is_read_whole_and_decoded()
    {
        const int length = 1_000_000;
        var (id, idText) = EscapeHeavy(length, 1);
        var (title, titleText) = EscapeHeavy(length, 2);
        var (text, textText) = EscapeHeavy(length, 3);
        var (summary, summaryText) = EscapeHeavy(length, 4);
        var (author, authorText) = EscapeHeavy(length, 5);
        var (tag, tagText) = EscapeHeavy(length, 6);
        var (feedTitle, feedTitleText) = EscapeHeavy(length, 7);
        var path = "/" + new string('p', length);
        var result = Parse($$"""
            {"version": "https://jsonfeed.org/version/1.1", "title": {{feedTitle}}, "home_page_url": "https://example.org{{path}}",
             "items": [{"id": {{id}}, "url": "https://example.org{{path}}", "title": {{title}}, "content_text": {{text}}, "summary": {{summary}},
                        "authors": [{"name": {{author}}}], "tags": [{{tag}}, "short"], "language": "en",
                        "attachments": [{"url": "https://example.org/a{{path}}", "mime_type": "audio/mpeg", "size_in_bytes": 7}]}]}
            """);

        Assert.True(result.Ok, result.Error);
        var feed = result.Feed!;
        Assert.Equal(feedTitleText, feed.Title);
        Assert.Equal("https://example.org" + path, feed.Link);
        var item = Assert.Single(feed.Articles);
        Assert.Equal(idText, item.Guid);
        Assert.Equal("https://example.org" + path, item.Url);
        Assert.Equal(FeedText.HtmlToText(new HtmlParser(), titleText), item.Title);
        Assert.Equal(FeedText.Collapse(summaryText), item.Summary);
        Assert.Equal(FeedText.TextToHtml(textText), item.ContentHtml);
        Assert.Equal(AuthorName.From(authorText), item.Author);
        Assert.Equal([tagText, "short"], item.Categories);
        Assert.Equal("en", item.Language);
        Assert.Equal(new ArticleEnclosure("https://example.org/a" + path, "audio/mpeg", 7), Assert.Single(item.Enclosures));
    }

    [Fact]
    public void Long_strings_of_a_JSON_Feed_1_0_document_are_read_whole()
    {
        var name = new string('n', 5000);
        var text = "line one\n" + new string('x', 5000) + "\n\"quoted\"";
        var result = Parse($$"""
            {"version": "https://jsonfeed.org/version/1", "title": "One", "author": {"name": "{{name}}"},
             "items": [{"id": "1", "content_text": "{{text.Replace("\n", "\\n").Replace("\"", "\\\"")}}"}]}
            """);

        Assert.True(result.Ok, result.Error);
        var item = Assert.Single(result.Feed!.Articles);
        Assert.Equal(name, item.Author);
        Assert.Equal(FeedText.TextToHtml(text), item.ContentHtml);
    }

    [Fact]
    public void Text_that_looks_like_a_placeholder_is_kept_as_written()
    {
        var result = Parse("""
            {"version": "https://jsonfeed.org/version/1.1", "title": "@feedworker-text:0", "description": "\u0040feedworker-text:1", "items": [
              {"id": "@feedworker-text:1", "title": "@feedworker-text:99", "content_text": "@feedworker-text:0 and more text than a placeholder holds, well past sixty-four characters"}]}
            """);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(("@feedworker-text:0", "@feedworker-text:1"), (result.Feed!.Title, result.Feed.Description));
        var item = Assert.Single(result.Feed.Articles);
        Assert.Equal(("@feedworker-text:1", "@feedworker-text:99"), (item.Guid, item.Title));
        Assert.Equal("@feedworker-text:0 and more text than a placeholder holds, well past sixty-four characters", item.Summary);
    }

    [Fact]
    public void Escaped_slashes_and_letters_in_the_version_still_make_a_JSON_Feed()
    {
        var result = Parse("""
            {"version": "https:\/\/jsonfeed.org\/version\/1.1", "title": "Caf\u00e9", "items": [{"id": "1", "content_text": "x"}]}
            """);

        Assert.True(result.Ok, result.Error);
        Assert.Equal((FeedFormat.JsonFeed, "Café"), (result.Feed!.Format, result.Feed.Title));
    }

    [Theory]
    [InlineData("""{"version": "https://jsonfeed.org/version/1.1", "title": }""", "'}' is an invalid start of a value.")]
    [InlineData("""{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [""", "Expected depth to be zero at the end of the JSON payload")]
    [InlineData("""{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": []} trailing""", "'t' is invalid after a single JSON value. Expected end of data.")]
    public void Invalid_JSON_fails_the_document_naming_the_cause(string json, string cause)
    {
        var result = Parse(json);

        Assert.False(result.Ok);
        Assert.StartsWith("invalid JSON Feed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(cause, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_raw_control_character_in_a_long_string_fails_the_document_naming_the_character_and_its_position()
    {
        var json = "{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"T\", \"items\": [{\"id\": \"1\", \"content_text\": \""
            + new string('x', 100_000) + "\\n\\\"" + new string('y', 100) + "\n" + "z\"}]}";

        var result = Parse(json);

        Assert.False(result.Ok);
        Assert.Equal(
            $"invalid JSON Feed: '0x0A' is invalid within a JSON string. The string should be correctly escaped. LineNumber: 0 | BytePositionInLine: {json.IndexOf('\n', StringComparison.Ordinal)}.",
            result.Error);
    }

    [Fact]
    public void What_the_feed_library_reads_leniently_is_still_read()
    {
        // trailing commas and NaN (Python's json.dumps writes it) pass CodeHollow.FeedReader's own reader
        var result = Parse($$"""
            {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [
              {"id": "1", "content_text": "{{new string('x', 200)}}", "attachments": [{"url": "https://example.org/a.mp3", "duration_in_seconds": NaN},]},]}
            """);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(new string('x', 200), Assert.Single(result.Feed!.Articles).Summary);
    }

    [Fact]
    public void A_JSON_document_that_is_not_a_JSON_Feed_says_so()
    {
        var result = Parse("""{"title": "no version", "items": [{"id": "1", "content_text": "x"}]}""");

        Assert.False(result.Ok);
        Assert.Contains("not a JSON Feed", result.Error, StringComparison.Ordinal);
    }
}
