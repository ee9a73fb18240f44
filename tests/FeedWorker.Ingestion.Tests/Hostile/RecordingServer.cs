using System.Collections.Concurrent;
using FeedWorker.Ingestion.Tests.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.Ingestion.Tests.Hostile;

/// <summary>A Kestrel server on 127.0.0.1 that answers every request with a marker text and records it: an XML entity, DTD or include that is resolved shows up here.</summary>
public sealed class RecordingServer : IAsyncDisposable
{
    public const string Marker = "LEAKED-FROM-RECORDING-SERVER";

    private readonly LocalServer _server;

    private RecordingServer(LocalServer server, ConcurrentQueue<string> requests)
    {
        _server = server;
        Requests = requests;
    }

    public ConcurrentQueue<string> Requests { get; }

    public Uri Url(string path) => _server.Url(path);

    public static async Task<RecordingServer> StartAsync()
    {
        var requests = new ConcurrentQueue<string>();
        var server = await LocalServer.StartAsync(app => app.MapFallback((HttpContext context) =>
        {
            requests.Enqueue(context.Request.Method + " " + context.Request.Path + context.Request.QueryString);
            // Valid as an entity's replacement text, as an external DTD subset and as an included document.
            return Results.Text(context.Request.Path.StartsWithSegments("/dtd") ? $"<!ENTITY leak \"{Marker}\">" : Marker, "text/plain");
        }));
        return new RecordingServer(server, requests);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
