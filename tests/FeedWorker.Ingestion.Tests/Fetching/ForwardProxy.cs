using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FeedWorker.Ingestion.Tests.Fetching;

/// <summary>
/// A real HTTP forward proxy for plain-http targets, on Kestrel (which accepts absolute-form request
/// targets): it forwards each request with its headers and records what it was asked for.
/// </summary>
public sealed class ForwardProxy : IAsyncDisposable
{
    private static readonly string[] HopByHop = ["Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Transfer-Encoding", "Host"];
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });
    private LocalServer? _server;

    public ConcurrentQueue<string> Targets { get; } = new();

    public Uri Url => _server!.BaseUrl;

    public static async Task<ForwardProxy> StartAsync()
    {
        var proxy = new ForwardProxy();
        proxy._server = await LocalServer.StartAsync(app => app.Run(proxy.ForwardAsync));
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        Targets.Enqueue(target);
        if (!Uri.TryCreate(target, UriKind.Absolute, out var url))
        {
            context.Response.StatusCode = 400; // not a proxy request
            return;
        }
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), url);
        foreach (var header in context.Request.Headers.Where(h => !HopByHop.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        }
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _upstream.Dispose();
    }
}
