using System.Xml.Linq;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// RSS 1.0 and 0.90, whose root is rdf:RDF with the channel and the items side by side. Their elements have the
/// RSS names, so the RSS finders read them; only the version differs.
/// </summary>
internal sealed partial class XmlFeedReader
{
    private ParseResult ReadRdf(XElement root) => ReadRss(root, RdfVersion(root));

    /// <summary>RSS 0.90 when its namespace is the default or holds the channel or an item; RSS 1.0 otherwise.</summary>
    private FeedFormat RdfVersion(XElement root) =>
        root.GetDefaultNamespace().NamespaceName == FeedNamespaces.Rss090
        || Child(root, "channel", FeedNamespaces.Rss090) is not null || Child(root, "item", FeedNamespaces.Rss090) is not null ? FeedFormat.Rss09x : FeedFormat.Rss10;
}
