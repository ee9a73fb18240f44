using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedWorker.TestServers;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with an OS-chosen port, serving the routes a test maps. It records
/// every request and counts connections, so a test can count at the server what the client did.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ServedRequest> _requests = new();
    private WebApplication? _app;
    private int _connections;

    private LocalServer()
    {
    }

    /// <summary>The server's root, ending in a slash: <c>http://127.0.0.1:{port}/</c> (https with a certificate).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Requests received so far, in arrival order; recorded before the route runs.</summary>
    public IReadOnlyList<ServedRequest> Requests => [.. _requests];

    /// <summary>TCP connections accepted so far (counted before any TLS handshake).</summary>
    public int Connections => Volatile.Read(ref _connections);

    public Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery);

    /// <summary>Requests received so far for exactly this path (no query).</summary>
    public int RequestCount(string path) => _requests.Count(r => r.Path == path);

    /// <param name="map">Maps the test's routes (or middleware) on the application.</param>
    /// <param name="certificate">Serves HTTPS with it instead of plain HTTP.</param>
    public static async Task<LocalServer> StartAsync(Action<WebApplication> map, X509Certificate2? certificate = null)
    {
        var server = new LocalServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref server._connections);
                return next(connection);
            });
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use((context, next) =>
        {
            server._requests.Enqueue(ServedRequest.Of(context.Request));
            return next(context);
        });
        map(app);
        await app.StartAsync();
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
