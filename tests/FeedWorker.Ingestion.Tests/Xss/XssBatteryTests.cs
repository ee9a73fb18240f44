using System.Text;
using FeedWorker.Ingestion.Parsing;
using FeedWorker.Ingestion.Tests.Hostile;
using Xunit.Abstractions;

namespace FeedWorker.Ingestion.Tests.Xss;

/// <summary>
/// The XSS filter-evasion battery (tests/xss/vectors.txt) as items of one RSS feed, through the real
/// parse-and-clean pipeline, rendered by headless Chromium with every execution channel hooked.
/// </summary>
public sealed class XssBatteryTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task Nothing_fires_in_the_sanitized_feed()
    {
        var (vectors, bodies, events, inspected) = await RenderAsync(sanitized: true);

        output.WriteLine($"{vectors.Count} vectors rendered sanitized, {inspected} frames inspected; {events.Count} events");
        Assert.True(events.Count == 0, "sanitized vectors fired:\n" + Describe(events, vectors, bodies));
        // Every frame was loaded, still showed its vector at the end, and had its elements clicked and hovered.
        Assert.Equal(vectors.Count, inspected);
        // The cleaner kept the harmless parts (link text, images), so the browser had real content to act on.
        Assert.True(bodies.Values.Count(b => b.Length > 0) >= vectors.Count / 2, "most sanitized bodies are empty");
    }

    /// <summary>The same page with the parser's unsanitized HTML: proves the hooks and the server would catch a vector.</summary>
    [ChromiumFact]
    public async Task Unsanitized_vectors_fire_so_the_hooks_work()
    {
        var (vectors, _, events, _) = await RenderAsync(sanitized: false);

        var fired = events.Where(e => !e.Kind.StartsWith("static:", StringComparison.Ordinal)).Select(e => e.Id).ToHashSet();
        var silent = vectors.Where(v => !fired.Contains(v.Id)).ToList();
        output.WriteLine($"{fired.Count} of {vectors.Count} vectors fired unsanitized; silent in this browser:");
        foreach (var v in silent) output.WriteLine($"  {v.Id} [{v.Kind}] {v.Html}");

        // Every channel the harness watches must have caught at least one vector.
        Assert.Contains(events, e => e.Kind == "x");                                // script marker
        Assert.Contains(events, e => e.Kind == "server:x");                         // the same, seen by the server
        Assert.Contains(events, e => e.Kind == "server:request" && e.Id > 0);       // a vector fetched or navigated to its hit URL
        Assert.Contains(events, e => e.Kind is "navigate" or "navigated" or "server:navigate");
        Assert.Contains(events, e => e.Kind == "static:handler");
        Assert.Contains(events, e => e.Kind == "static:script-url");
        // A javascript: link runs only when clicked: the harness clicks it.
        Assert.Contains(vectors.Single(v => v.Html == $"<a href=\"javascript:top.x({v.Id})\">link</a>").Id, fired);
        // Most of the battery is live in today's Chromium; the rest targets old browsers (listed above).
        Assert.True(fired.Count >= vectors.Count / 2, $"only {fired.Count} of {vectors.Count} unsanitized vectors fired");
        foreach (var kind in new[] { "script-tag", "img-onerror", "event-handler", "javascript-url", "entity-encoded-url", "embedded-whitespace",
                     "null-byte", "svg", "meta-refresh", "data-url", "srcdoc", "formaction", "comments", "mutation-xss", "namespace-confusion", "frames" })
        {
            Assert.True(vectors.Any(v => v.Kind == kind && fired.Contains(v.Id)), $"no {kind} vector fired unsanitized");
        }
    }

    /// <summary>Runs the feed through parse and clean (or parse only), then renders every item's HTML in the harness.</summary>
    private static async Task<(IReadOnlyList<XssVector> Vectors, Dictionary<int, string> Bodies, IReadOnlyList<XssEvent> Events, int Inspected)> RenderAsync(bool sanitized)
    {
        await using var harness = await XssHarness.StartAsync();
        var vectors = XssVectors.Load(harness.HitUrl);
        using var pipeline = new IngestionPipeline();

        var result = sanitized ? await pipeline.ProcessAsync(Feed(vectors)) : await pipeline.ParseAsync(Feed(vectors));
        var bodies = Bodies(result, vectors);
        var (events, inspected) = await harness.RunAsync(bodies, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        return (vectors, bodies, events, inspected);
    }

    /// <summary>One item per vector; the HTML is escaped as XML text, control characters (NUL, VT, FF) stay raw as a hostile feed would send them.</summary>
    private static byte[] Feed(IReadOnlyList<XssVector> vectors)
    {
        var items = new StringBuilder();
        foreach (var v in vectors) items.Append(IngestionPipeline.Item("xss-" + v.Id, IngestionPipeline.EscapeXml(v.Html)));
        return IngestionPipeline.Rss(items.ToString());
    }

    private static Dictionary<int, string> Bodies(ParseResult result, IReadOnlyList<XssVector> vectors)
    {
        Assert.True(result.Ok, result.Error);
        var articles = result.Feed!.Articles;
        Assert.Equal(vectors.Count, articles.Count);
        return articles.ToDictionary(a => int.Parse(a.Guid!["xss-".Length..]), a => a.ContentHtml ?? "");
    }

    private static string Describe(IEnumerable<XssEvent> events, IReadOnlyList<XssVector> vectors, IReadOnlyDictionary<int, string> bodies) =>
        string.Join("\n", events.GroupBy(e => e.Id).Select(g =>
        {
            var vector = vectors.FirstOrDefault(v => v.Id == g.Key);
            return $"#{g.Key} [{vector?.Kind}] {vector?.Html}\n  served: {bodies.GetValueOrDefault(g.Key)}\n  "
                + string.Join("\n  ", g.Select(e => e.Kind + ": " + e.Detail));
        }));
}
