namespace FeedWorker.Benchmarks.Feeds;

public enum FeedSyntax
{
    Rss,
    Atom,
}

/// <summary>How an item came into a feed: the publisher's own story or one shared with other feeds.</summary>
public enum ItemKind
{
    Own,
    /// <summary>A wire story carried by several feeds under the same link (some with utm parameters).</summary>
    SharedSameUrl,
    /// <summary>An exact copy of a story republished under the copying site's own URL.</summary>
    CopyOtherUrl,
    /// <summary>A copy with a few words added, under the copying site's own URL.</summary>
    NearCopy,
}

public sealed record CorpusOptions
{
    public int Feeds { get; init; } = 500;
    public int ItemsPerFeed { get; init; } = 50;
    public int Seed { get; init; } = 20261124;
    public double AtomShare { get; init; } = 0.2;
    public double SharedSameUrl { get; init; } = 0.08;
    public double CopyOtherUrl { get; init; } = 0.03;
    public double NearCopy { get; init; } = 0.02;
    /// <summary>Stories a changed feed gains per revision (the oldest fall off the end).</summary>
    public int NewItemsPerRevision { get; init; } = 5;
}

/// <param name="Link">The item's link as this feed writes it.</param>
/// <param name="Guid">The item's guid (RSS) or id (Atom): this feed's own.</param>
public sealed record FeedItem(Story Story, string Link, string Guid, ItemKind Kind);

/// <summary>
/// A deterministic set of feeds: every feed's items at every revision follow from the options alone,
/// so the benchmark server and the in-process benchmarks see the same documents.
/// </summary>
public sealed class FeedCorpus(CorpusOptions options)
{
    private const long SharedBase = 2_000_000_000_000;
    private const long CopyBase = 3_000_000_000_000;
    private const long NearBase = 4_000_000_000_000;

    private readonly int _total = options.Feeds * options.ItemsPerFeed;

    public CorpusOptions Options => options;

    public FeedSyntax FormatOf(int feed) =>
        Unit(StoryWriter.Mix(options.Seed * 31L + feed)) < options.AtomShare ? FeedSyntax.Atom : FeedSyntax.Rss;

    public string FileName(int feed) => FormatOf(feed) == FeedSyntax.Atom ? $"{feed:D5}.atom.xml" : $"{feed:D5}.rss.xml";

    public static string SiteOf(int feed) => $"www.site{feed:D5}.example";

    /// <summary>
    /// The items of <paramref name="feed"/> at <paramref name="revision"/>, newest first. Revision 0 is
    /// the first publication; each later revision adds new stories on top and edits one older item.
    /// </summary>
    public IReadOnlyList<FeedItem> Items(int feed, int revision)
    {
        var site = SiteOf(feed);
        var items = new List<FeedItem>(options.ItemsPerFeed);
        for (var r = revision; r >= 1 && items.Count < options.ItemsPerFeed; r--)
        {
            for (var k = 0; k < options.NewItemsPerRevision && items.Count < options.ItemsPerFeed; k++)
            {
                items.Add(Own(StoryWriter.Write(feed * 1_000_000L + 500_000 + r * 100 + k, site), site));
            }
        }
        var used = new HashSet<long>();
        for (var slot = 0; items.Count < options.ItemsPerFeed; slot++)
        {
            // the newest original item is the one later revisions edit
            items.Add(BaseItem(feed, slot, slot == 0 ? revision : 0, used));
        }
        return items;
    }

    /// <summary>Every <c>1/fraction</c>-th feed, shifted by round so that successive rounds change other feeds.</summary>
    public IReadOnlyList<int> ChangedFeeds(double fraction, int round)
    {
        var step = Math.Max(1, (int)Math.Round(1 / fraction));
        return Enumerable.Range(0, options.Feeds).Where(f => (f + round) % step == 0).ToList();
    }

    public string Render(int feed, int revision)
    {
        var items = Items(feed, revision);
        return FormatOf(feed) == FeedSyntax.Atom
            ? FeedRenderer.Atom(SiteOf(feed), items)
            : FeedRenderer.Rss(SiteOf(feed), items);
    }

    private FeedItem BaseItem(int feed, int slot, int edit, HashSet<long> used)
    {
        var site = SiteOf(feed);
        var random = new Random(StoryWriter.Mix(options.Seed * 1_000_003L + feed * 100_003L + slot));
        var u = random.NextDouble();
        if (u < options.SharedSameUrl)
        {
            var id = SharedBase + random.Next(Pool(options.SharedSameUrl, 3));
            if (used.Add(id))
            {
                var story = StoryWriter.Write(id, $"wire{id % 16:D2}.example", edit: edit);
                // half the feeds append campaign parameters: the canonical URL must still match
                var link = feed % 2 == 1 ? story.Url + "?utm_source=rss&utm_medium=rss&utm_campaign=" + site : story.Url;
                return new FeedItem(story, link, Guid(site, id), ItemKind.SharedSameUrl);
            }
        }
        else if (u < options.SharedSameUrl + options.CopyOtherUrl)
        {
            var id = CopyBase + random.Next(Pool(options.CopyOtherUrl, 2));
            if (used.Add(id))
            {
                var story = StoryWriter.Write(id, site, edit: edit);
                return new FeedItem(story, story.Url, Guid(site, id), ItemKind.CopyOtherUrl);
            }
        }
        else if (u < options.SharedSameUrl + options.CopyOtherUrl + options.NearCopy)
        {
            var id = NearBase + random.Next(Pool(options.NearCopy, 2));
            if (used.Add(id))
            {
                var story = StoryWriter.Write(id, site, variant: feed + 1, edit: edit);
                return new FeedItem(story, story.Url, Guid(site, id), ItemKind.NearCopy);
            }
        }
        return Own(StoryWriter.Write(feed * 1_000_000L + slot, site, edit: edit), site);
    }

    private static FeedItem Own(Story story, string site) => new(story, story.Url, Guid(site, story.Id), ItemKind.Own);

    private static string Guid(string site, long id) => $"https://{site}/?p={id}";

    /// <summary>Pool size so that each pooled story appears in about <paramref name="carriers"/> feeds.</summary>
    private int Pool(double share, int carriers) => Math.Max(1, (int)(_total * share / carriers));

    private static double Unit(int hash) => hash / (double)int.MaxValue;
}
