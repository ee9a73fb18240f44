namespace FeedWorker.IntegrationTests.Storage;

/// <summary>Files of the repository the tests run from (found above the test output folder).</summary>
public static class RepositoryFiles
{
    public static string Find(params string[] relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine([dir.FullName, .. relative]);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{string.Join('/', relative)} not found above {AppContext.BaseDirectory}");
    }
}
