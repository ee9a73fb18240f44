using System.Xml;
using System.Xml.Linq;
using AngleSharp.Html.Parser;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// Hardened feed parsing: decode (BOM, HTTP charset, XML declaration, mislabelled bytes), repair what
/// strict XML rejects, parse once into a DOM (leniently when strict parsing fails), then read RSS,
/// Atom or JSON Feed into normalized records, and make them storable (<see cref="StorableFeed"/>).
/// Bad input yields a failure or warnings, never an exception.
/// </summary>
public sealed class FeedParser(TimeProvider time)
{
    public FeedParser() : this(TimeProvider.System)
    {
    }

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Turns feed bytes into normalized, not yet cleaned, articles.</summary>
    public ParseResult Parse(FeedDocument document)
    {
        var warnings = new List<string>();
        try
        {
            var result = ParseText(FeedTextDecoder.Decode(document.Content.Span, document.ContentType, warnings), document.LinkBase, warnings);
            if (result.Feed is not { } feed)
            {
                return result;
            }
            var storable = new List<string>();
            var clean = StorableFeed.Of(feed, time.GetUtcNow(), storable);
            return result with { Feed = clean, Warnings = [.. result.Warnings, .. storable] };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ParseResult.Failure($"unreadable feed: {e.GetType().Name}: {e.Message}", warnings);
        }
    }

    private static ParseResult ParseText(string text, Uri documentUrl, List<string> warnings)
    {
        var start = text.AsSpan().TrimStart(" \t\r\n\uFEFF\0");
        if (start.IsEmpty)
        {
            return ParseResult.Failure("the document is empty", warnings);
        }
        var html = new HtmlParser();
        if (start[0] is '{' or '[')
        {
            return JsonFeedReader.Read(JsonTextRepair.Repair(start.ToString()), documentUrl, warnings, html);
        }
        var repaired = XmlRepair.Repair(text, warnings);
        if (repaired.Text is null)
        {
            return ParseResult.Failure(repaired.Error!, warnings);
        }
        if (HtmlFeedDiscovery.IsHtmlPage(repaired.Span))
        {
            return ParseResult.Failure(HtmlFeedDiscovery.Describe(text, documentUrl), warnings);
        }
        XDocument parsed;
        try
        {
            using var reader = XmlReader.Create(repaired.OpenReader(), ReaderSettings);
            parsed = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException e)
        {
            parsed = LenientXmlBuilder.Build(repaired.Span.ToString(), out var truncatedItem);
            warnings.Add(truncatedItem
                ? $"the document is truncated or malformed ({e.Message}); the incomplete last item was dropped"
                : $"malformed XML ({e.Message}); read leniently");
        }
        if (parsed.Root is null)
        {
            return ParseResult.Failure("the document has no root element", warnings);
        }
        if (parsed.Root.Name.LocalName.Equals("html", StringComparison.OrdinalIgnoreCase))
        {
            return ParseResult.Failure(HtmlFeedDiscovery.Describe(text, documentUrl), warnings);
        }
        return new XmlFeedReader(parsed, documentUrl, warnings, html).Read();
    }
}
