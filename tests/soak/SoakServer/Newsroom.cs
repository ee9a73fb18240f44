using System.Globalization;
using System.Text;
using FeedWorker.Benchmarks.Feeds;

namespace FeedWorker.Soak.Server;

/// <summary>One story as one feed carried it: the ledger line the check compares the database with.</summary>
internal sealed class LedgerEntry(long storyId, string storySite, string storyUrl, string guid, DateTimeOffset publishedAt, int firstRevision, ItemKind kind)
{
    public long StoryId => storyId;
    public string StorySite => storySite;
    public string StoryUrl => storyUrl;
    public string Guid => guid;
    public DateTimeOffset PublishedAt => publishedAt;
    public ItemKind Kind => kind;
    /// <summary>The first revision of the feed that shows it.</summary>
    public int FirstRevision => firstRevision;
    /// <summary>The first revision of the feed that no longer shows it (it rolled off the end), or null.</summary>
    public int? RolledOffAt { get; set; }
}

/// <summary>What a request for the feed is answered with: immutable, swapped whole on publication.</summary>
internal sealed record FeedSnapshot(int Revision, string ETag, DateTimeOffset LastModified, byte[] Body);

internal sealed class NewsFeed(int index, FeedSyntax syntax)
{
    public int Index => index;
    public FeedSyntax Syntax => syntax;
    public string Site => FeedCorpus.SiteOf(index);
    public string Url { get; set; } = "";
    public object Gate { get; } = new();
    /// <summary>Newest first, at most the window.</summary>
    public List<LedgerEntry> Visible { get; } = [];
    public List<LedgerEntry> Ledger { get; } = [];
    /// <summary>Revisions that went out whole in a 200 response.</summary>
    public HashSet<int> ServedWhole { get; } = [];
    public DateTimeOffset NextPublication { get; set; }
    public long OwnStories { get; set; }
    private FeedSnapshot? _current;
    public FeedSnapshot Current
    {
        get => Volatile.Read(ref _current)!;
        set => Volatile.Write(ref _current, value);
    }

    public void MarkServedWhole(int revision)
    {
        lock (Gate) ServedWhole.Add(revision);
    }
}

/// <summary>
/// The publishers: every feed starts with a backlog and gains one story at a random moment every
/// publish-min to publish-max (some of them wire stories shared with other feeds under the same
/// link); the oldest item rolls off past the window, as on a real site. Every item ever shown is
/// kept in the ledger with the revisions it was visible in.
/// </summary>
internal sealed class Newsroom
{
    private const long SharedBase = 9_000_000_000_000;
    private const string UpdatePeriodHint = "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n";
    private readonly SoakOptions _options;
    private readonly Random _random;
    private readonly List<(long Id, DateTimeOffset At)> _wire = [];
    private long _published;
    private volatile bool _quiesced;

    public Newsroom(SoakOptions options, DateTimeOffset now)
    {
        _options = options;
        _random = new Random(options.Seed);
        Feeds = Enumerable.Range(0, options.Feeds)
            .Select(i => new NewsFeed(i, i % 5 == 4 ? FeedSyntax.Atom : FeedSyntax.Rss))
            .ToList();
        // the backlog: stories published before the soak began, oldest first
        foreach (var feed in Feeds)
        {
            var at = now;
            var times = Enumerable.Range(0, options.Backlog).Select(_ => at -= NextGap()).Reverse().ToList();
            foreach (var time in times)
            {
                AddStory(feed, time, revision: 0);
            }
            feed.NextPublication = now + TimeSpan.FromTicks((long)(NextGap().Ticks * _random.NextDouble()));
            feed.Current = Render(feed, 0);
        }
    }

    public IReadOnlyList<NewsFeed> Feeds { get; }

    public long Published => Interlocked.Read(ref _published);

    public bool Quiesced => _quiesced;

    /// <summary>No more stories from now on.</summary>
    public void Quiesce() => _quiesced = true;

    /// <summary>Publishes what is due; called once a second by one loop.</summary>
    public void PublishDue(DateTimeOffset now)
    {
        if (_quiesced) return;
        foreach (var feed in Feeds)
        {
            if (feed.NextPublication > now) continue;
            lock (feed.Gate)
            {
                var revision = feed.Current.Revision + 1;
                AddStory(feed, now, revision);
                feed.Current = Render(feed, revision);
            }
            feed.NextPublication = now + NextGap();
            Interlocked.Increment(ref _published);
        }
    }

    private TimeSpan NextGap() =>
        _options.PublishMin + TimeSpan.FromTicks((long)((_options.PublishMax - _options.PublishMin).Ticks * _random.NextDouble()));

    private void AddStory(NewsFeed feed, DateTimeOffset at, int revision)
    {
        LedgerEntry entry;
        if (_random.NextDouble() < _options.Shared)
        {
            // a wire story: one already carried by other feeds (from the recent ones), or a new one
            var recent = _wire.Skip(Math.Max(0, _wire.Count - 200)).Where(w => !feed.Ledger.Any(e => e.StoryId == w.Id)).ToList();
            var (id, first) = recent.Count > 0 && _random.NextDouble() < 0.6
                ? recent[_random.Next(recent.Count)]
                : (SharedBase + _wire.Count, at);
            if (id == SharedBase + _wire.Count) _wire.Add((id, first));
            var site = $"wire{id % 16:D2}.example";
            var url = StoryWriter.Write(id, site).Url;
            entry = new LedgerEntry(id, site, url, $"https://{feed.Site}/?p=wire-{id}", first, revision, ItemKind.SharedSameUrl);
        }
        else
        {
            var id = (feed.Index + 1) * 1_000_000L + feed.OwnStories++;
            var url = StoryWriter.Write(id, feed.Site).Url;
            entry = new LedgerEntry(id, feed.Site, url, $"https://{feed.Site}/?p={id}", at, revision, ItemKind.Own);
        }
        feed.Ledger.Add(entry);
        feed.Visible.Insert(0, entry);
        if (feed.Visible.Count > _options.Window)
        {
            feed.Visible[^1].RolledOffAt = revision;
            feed.Visible.RemoveAt(feed.Visible.Count - 1);
        }
    }

    private static FeedSnapshot Render(NewsFeed feed, int revision)
    {
        var items = feed.Visible
            .Select(e => new FeedItem(StoryWriter.Write(e.StoryId, e.StorySite) with { Published = e.PublishedAt }, e.StoryUrl, e.Guid, e.Kind))
            .ToList();
        var text = feed.Syntax == FeedSyntax.Atom ? FeedRenderer.Atom(feed.Site, items) : FeedRenderer.Rss(feed.Site, items);
        // WordPress announces an hourly update period, which the worker rightly honours over a shorter
        // configured interval: the soak's feeds announce none, so each is polled at the soak's interval
        text = text.Replace(UpdatePeriodHint, "", StringComparison.Ordinal);
        var lastModified = items.Max(i => i.Story.Published);
        var etag = string.Create(CultureInfo.InvariantCulture, $"\"{feed.Index:x}-{revision}\"");
        return new FeedSnapshot(revision, etag, lastModified, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// ledger.tsv: one line per feed and story ever shown; final.tsv: each feed's last ETag. Tab-separated
    /// for psql's \copy.
    /// </summary>
    public (int Lines, int Feeds) WriteLedger(string directory)
    {
        Directory.CreateDirectory(directory);
        var lines = 0;
        using (var ledger = new StreamWriter(Path.Combine(directory, "ledger.tsv")))
        using (var final = new StreamWriter(Path.Combine(directory, "final.tsv")))
        {
            foreach (var feed in Feeds)
            {
                lock (feed.Gate)
                {
                    foreach (var e in feed.Ledger)
                    {
                        var served = feed.ServedWhole.Any(r => r >= e.FirstRevision && (e.RolledOffAt is not { } off || r < off));
                        ledger.Write(string.Create(CultureInfo.InvariantCulture,
                            $"{feed.Url}\t{e.StoryUrl}\t{e.Guid}\t{e.Kind}\t{e.PublishedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\t{e.FirstRevision}\t{(e.RolledOffAt is { } r ? r.ToString(CultureInfo.InvariantCulture) : @"\N")}\t{served}\n"));
                        lines++;
                    }
                    final.Write($"{feed.Url}\t{feed.Current.ETag}\n");
                }
            }
        }
        return (lines, Feeds.Count);
    }
}
