using System.Text;
using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>
/// XML-level attacks through the whole parse-and-clean pipeline. Each ends Ok without the secret, or with a
/// clear error; nothing is read from disk or the network. (Parsing/SafetyTests covers the parser's own
/// warnings for a file entity and billion laughs; these add the network side and the pipeline.)
/// </summary>
public sealed class XmlAttackTests : IAsyncLifetime
{
    private readonly IngestionPipeline _pipeline = new();
    private RecordingServer _server = null!;

    public async Task InitializeAsync() => _server = await RecordingServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _pipeline.Dispose();
    }

    public static TheoryData<string> LocalFileAttacks => new()
    {
        // general entity in text
        """<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>|<description>a&xxe;b</description>""",
        // plain path, no scheme
        """<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "/etc/passwd"> ]>|<description>a&xxe;b</description>""",
        // parameter entity pulled into the DTD
        """<!DOCTYPE rss [ <!ENTITY % xxe SYSTEM "file:///etc/passwd"> %xxe; ]>|<description>ab</description>""",
        // entity in an attribute value and in the title
        """<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>|<title>&xxe;</title><description>ab</description>""",
        // external DTD subset
        """<!DOCTYPE rss SYSTEM "file:///etc/passwd">|<description>ab</description>""",
    };

    [Theory]
    [MemberData(nameof(LocalFileAttacks))]
    public async Task Local_files_are_never_read(string attack)
    {
        var secret = File.ReadLines("/etc/passwd").First(); // "root:x:0:0:..."
        var (prolog, item) = Split(attack);

        var result = await _pipeline.ProcessAsync(IngestionPipeline.Rss($"<item><guid>g</guid>{item}</item>", prolog));

        AssertSafe(result, secret);
    }

    public static TheoryData<string> NetworkAttacks => new()
    {
        """<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "{base}entity"> ]>|<description>a&xxe;b</description>""",
        """<!DOCTYPE rss [ <!ENTITY xxe PUBLIC "-//X//Y" "{base}public"> ]>|<description>a&xxe;b</description>""",
        """<!DOCTYPE rss [ <!ENTITY % dtd SYSTEM "{base}dtd/param"> %dtd; ]>|<description>a&leak;b</description>""",
        """<!DOCTYPE rss SYSTEM "{base}dtd/external">|<description>a&leak;b</description>""",
        """<?xml-stylesheet type="text/xsl" href="{base}stylesheet"?>|<description>ab</description>""",
        """|<description xmlns:xi="http://www.w3.org/2001/XInclude">a<xi:include href="{base}xinclude" parse="text"/>b</description>""",
        // the entity hidden in the item's HTML: must not be resolved by the HTML stage either
        """<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "{base}html-entity"> ]>|<description>&lt;p&gt;a&amp;xxe;b&lt;/p&gt;</description>""",
    };

    [Theory]
    [MemberData(nameof(NetworkAttacks))]
    public async Task External_urls_are_never_fetched(string attack)
    {
        var (prolog, item) = Split(attack.Replace("{base}", _server.Url("/").AbsoluteUri));

        var result = await _pipeline.ProcessAsync(IngestionPipeline.Rss($"<item><guid>g</guid>{item}</item>", prolog));

        AssertSafe(result, RecordingServer.Marker);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Billion_laughs_is_refused_or_bounded()
    {
        var declarations = string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY l{i} \"{string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))}\">"));
        var prolog = $"<!DOCTYPE rss [ <!ENTITY l0 \"lol\">{declarations} ]>";

        var result = await _pipeline.ProcessAsync(IngestionPipeline.Rss("<item><guid>g</guid><title>&l9;</title><description>&l9;</description></item>", prolog));

        AssertRefusedOrBounded(result);
    }

    /// <summary>No nesting, so depth limits do not catch it: one 50,000-character entity used 50,000 times (2.5 G characters).</summary>
    [Fact]
    public async Task Quadratic_blowup_is_refused_or_bounded()
    {
        var prolog = $"<!DOCTYPE rss [ <!ENTITY a \"{new string('a', 50_000)}\"> ]>";
        var uses = string.Concat(Enumerable.Repeat("&a;", 50_000));

        var result = await _pipeline.ProcessAsync(IngestionPipeline.Rss($"<item><guid>g</guid><description>{uses}</description></item>", prolog));

        AssertRefusedOrBounded(result);
    }

    private static (string Prolog, string Item) Split(string attack)
    {
        var bar = attack.IndexOf('|');
        return (attack[..bar], attack[(bar + 1)..]);
    }

    private static void AssertSafe(ParseResult result, string secret)
    {
        if (!result.Ok)
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Error));
            Assert.DoesNotContain(secret, result.Error);
            return;
        }
        Assert.DoesNotContain(secret, Everything(result));
    }

    /// <summary>Expanded text of at most 1 MiB characters (the document is a few hundred bytes), or a clear error.</summary>
    private static void AssertRefusedOrBounded(ParseResult result)
    {
        if (!result.Ok)
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Error));
            return;
        }
        var size = Everything(result).Length;
        Assert.True(size < 1024 * 1024, $"the entities expanded to {size} characters");
    }

    private static string Everything(ParseResult result)
    {
        var text = new StringBuilder().Append(result.Feed!.Title).Append(result.Feed.Description);
        foreach (var a in result.Feed.Articles)
        {
            text.Append(a.Title).Append(a.Summary).Append(a.ContentHtml).Append(a.ContentText).Append(a.Author).Append(a.Url).Append(a.Guid);
        }
        foreach (var w in result.Warnings) text.Append(w);
        return text.ToString();
    }
}
