using FeedWorker.IntegrationTests.Infrastructure;
using FeedWorker.IntegrationTests.Storage;

namespace FeedWorker.IntegrationTests.Opml;

/// <summary>A test with a database and a feed folder of its own, for commands run as real processes.</summary>
public abstract class FreshDatabaseTest : IAsyncLifetime, IDisposable
{
    protected TestDatabase Database { get; } = new();

    protected FeedFiles Files { get; } = new();

    public virtual Task InitializeAsync() => Database.InitializeAsync();

    public virtual Task DisposeAsync() => Database.DisposeAsync();

    public void Dispose()
    {
        Files.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The URL a feed file is stored under.</summary>
    protected static string Url(string path) => new Uri(path).AbsoluteUri;
}
