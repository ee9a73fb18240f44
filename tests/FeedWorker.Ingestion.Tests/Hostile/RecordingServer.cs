using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>A Kestrel server on 127.0.0.1 that answers every request with a marker text and records it: an XML entity, DTD or include that is resolved shows up here.</summary>
public sealed class RecordingServer : IAsyncDisposable
{
    public const string Marker = "LEAKED-FROM-RECORDING-SERVER";

    private readonly LocalServer _server;

    private RecordingServer(LocalServer server) => _server = server;

    public IReadOnlyList<ServedRequest> Requests => _server.Requests;

    public Uri Url(string path) => _server.Url(path);

    public static async Task<RecordingServer> StartAsync() =>
        new(await LocalServer.StartAsync(app => app.MapFallback((HttpContext context) =>
            // Valid as an entity's replacement text, as an external DTD subset and as an included document.
            Results.Text(context.Request.Path.StartsWithSegments("/dtd") ? $"<!ENTITY leak \"{Marker}\">" : Marker, "text/plain"))));

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
