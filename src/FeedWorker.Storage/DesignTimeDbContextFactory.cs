using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FeedWorker.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without the host; no connection is opened.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<FeedWorkerDbContext>
{
    public FeedWorkerDbContext CreateDbContext(string[] args) =>
        new(StorageServiceCollectionExtensions.Configure(new DbContextOptionsBuilder<FeedWorkerDbContext>(), "Host=localhost;Database=feedworker_design").Options);
}
