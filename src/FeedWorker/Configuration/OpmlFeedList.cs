using FeedWorker.Storage;
using FeedWorker.Storage.Model;

namespace FeedWorker.Configuration;

/// <summary>The feeds of the files in <c>FeedWorker:OpmlFiles</c>, read afresh on every call so an edited file counts at once.</summary>
internal static class OpmlFeedList
{
    public const string Key = $"{FeedWorkerOptions.SectionName}:{nameof(FeedWorkerOptions.OpmlFiles)}";

    /// <summary>The feeds of every file, or one failure per bad file naming its configuration path, file and cause.</summary>
    public static (IReadOnlyList<FeedDefinition> Feeds, IReadOnlyList<string> Failures) Load(IReadOnlyList<string> files, string contentRoot)
    {
        var feeds = new List<FeedDefinition>();
        var failures = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            var path = $"{Key}:{i}";
            if (string.IsNullOrWhiteSpace(files[i]))
            {
                failures.Add($"{path}: is empty");
                continue;
            }
            var fullPath = Path.GetFullPath(files[i].Trim(), contentRoot);
            try
            {
                using var stream = File.OpenRead(fullPath);
                foreach (var outline in OpmlReader.Read(stream))
                {
                    var url = FeedUrls.Resolve(outline.XmlUrl, contentRoot)
                        ?? throw new OpmlFormatException($"xmlUrl '{outline.XmlUrl}' is not an absolute http(s) URL or file path");
                    if (FeedUrls.Refusal(url) is { } refusal)
                    {
                        throw new OpmlFormatException($"xmlUrl {refusal}");
                    }
                    feeds.Add(new FeedDefinition(url, outline.Title, null, false, outline.Tags, FeedOrigins.Opml));
                }
            }
            catch (Exception e) when (e is OpmlFormatException or IOException or UnauthorizedAccessException)
            {
                failures.Add($"{path}: OPML file '{fullPath}': {e.Message}");
            }
        }
        return (feeds, failures);
    }
}
