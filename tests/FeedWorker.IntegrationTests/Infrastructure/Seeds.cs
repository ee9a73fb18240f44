namespace FeedWorker.IntegrationTests.Infrastructure;

/// <summary>The fixture files from the repository's seeds/ folder, copied beside the test assembly.</summary>
public static class Seeds
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "seeds", name);

    public const string SeedArticle = "000_76d62e61560ace4b.txt";
}
