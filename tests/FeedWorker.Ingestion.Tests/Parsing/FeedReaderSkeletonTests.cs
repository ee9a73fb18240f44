using System.Xml.Linq;
using CodeHollow.FeedReader.Feeds;
using FeedWorker.Ingestion.Parsing;
using static FeedWorker.Ingestion.Tests.Parsing.ParserTestHelpers;

namespace FeedWorker.Ingestion.Tests.Parsing;

/// <summary>
/// CodeHollow.FeedReader reads its item list from a skeleton of the document: the same elements, short text only, and
/// every item it returns maps back to the document's own element.
/// </summary>
public sealed class FeedReaderSkeletonTests
{
    private static readonly string LongHtml = "<p>" + new string('x', 5_000) + "</p>";

    [Fact]
    public void Rss_items_map_back_to_the_documents_elements_and_long_text_stays_out()
    {
        var document = XDocument.Parse(Rss(
            $"<item><title>One</title><guid>g1</guid><description><![CDATA[{LongHtml}]]></description></item>"
            + "<item><title>Two</title><guid>g2</guid></item>"));
        var channel = document.Root!.Element("channel")!;

        var skeleton = FeedReaderSkeleton.Of(channel);
        var items = new Rss20Feed(string.Empty, skeleton).Items;

        Assert.Equal("channel", skeleton.Name.LocalName);
        Assert.Equal(["One", "Two"], items.Select(i => i.Title));
        Assert.Equal(channel.Elements("item"), FeedReaderSkeleton.Originals(items));
        Assert.Equal("", skeleton.Element("item")!.Element("description")!.Value);
        Assert.Equal(LongHtml, channel.Element("item")!.Element("description")!.Value);
    }

    [Fact]
    public void Rss10_items_beside_the_channel_are_read_from_the_copy_of_its_parent()
    {
        var document = XDocument.Parse("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
              <channel rdf:about="http://example.com/"><title>T</title></channel>
              <item rdf:about="http://example.com/1"><title>One</title></item>
              <item rdf:about="http://example.com/2"><title>Two</title></item>
            </rdf:RDF>
            """);
        var channel = document.Root!.Elements().First(e => e.Name.LocalName == "channel");

        var items = new Rss10Feed(string.Empty, FeedReaderSkeleton.Of(channel)).Items;

        Assert.Equal(document.Root.Elements().Where(e => e.Name.LocalName == "item"), FeedReaderSkeleton.Originals(items));
    }

    [Fact]
    public void The_copy_stops_below_a_fields_parts()
    {
        var document = XDocument.Parse("<feed><entry><content><div><p><b>deep</b></p></div></content></entry></feed>");

        var skeleton = FeedReaderSkeleton.Of(document.Root!);

        var deepest = skeleton.Descendants().Last();
        Assert.Equal("p", deepest.Name.LocalName);
        Assert.Same(document.Descendants("p").Single(), deepest.Annotation<XElement>());
    }

    [Fact]
    public void An_item_without_an_element_of_the_document_gives_no_list()
    {
        Assert.Null(FeedReaderSkeleton.Originals([new Rss20FeedItem(new XElement("item"))]));
    }
}
