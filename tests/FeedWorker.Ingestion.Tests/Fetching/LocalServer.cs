using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedWorker.Ingestion.Tests.Fetching;

/// <summary>A real Kestrel server on 127.0.0.1 with an OS-chosen port.</summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery);

    /// <param name="listen">Replaces the default plain-HTTP endpoint, e.g. with HTTPS; must listen on 127.0.0.1 port 0.</param>
    public static async Task<LocalServer> StartAsync(Action<WebApplication> map, Action<KestrelServerOptions>? listen = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (listen is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.ConfigureKestrel(listen);
        }
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LocalServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
