using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using FeedWorker.Ingestion.Tests.Fetching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FeedWorker.Ingestion.Tests.Xss;

/// <summary>Something a vector did: a hook fired in the page, or the server saw a request it never links to.</summary>
public sealed record XssEvent(int Id, string Kind, string Detail);

/// <summary>
/// Serves each vector's HTML in its own frame of one harness page, from a Kestrel server on 127.0.0.1 that
/// records every request the page makes. Each frame installs hooks before its content (script marker x(),
/// dialogs, fetch/XHR/beacon/WebSocket/EventSource, window.open, unload = navigation); the harness then
/// fires mouse, focus and click events on every element (safe http/mailto links are kept from navigating,
/// anything else is let through so a script URL runs for real), and checks every attribute for script URLs
/// and event handlers. Results come back both in the DOM Chromium prints and as requests the server saw.
/// </summary>
internal sealed class XssHarness : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, string> _html = new();
    private readonly ConcurrentQueue<XssEvent> _serverEvents = new();
    private LocalServer _server = null!;

    public Uri BaseUrl => _server.BaseUrl;

    public static async Task<XssHarness> StartAsync()
    {
        var harness = new XssHarness();
        harness._server = await LocalServer.StartAsync(harness.Map);
        return harness;
    }

    public Uri HitUrl(int id) => _server.Url("hit/" + id.ToString(CultureInfo.InvariantCulture));

    /// <summary>Loads the harness page with these vector bodies in headless Chromium and returns everything that fired.</summary>
    /// <returns>The events, and how many frames the harness found still showing their vector and inspected.</returns>
    public async Task<(IReadOnlyList<XssEvent> Events, int Inspected)> RunAsync(IReadOnlyDictionary<int, string> bodies, CancellationToken cancellationToken)
    {
        _html.Clear();
        foreach (var (id, html) in bodies) _html[id] = html;
        _serverEvents.Clear();

        var dom = await Chromium.DumpDomAsync(_server.Url("harness"), TimeSpan.FromSeconds(20), cancellationToken);
        var page = ReadResults(dom);
        return ([.. page.Events, .. _serverEvents], page.Inspected);
    }

    private sealed record PageResults(int Inspected, List<XssEvent> Events);

    private static PageResults ReadResults(string dom)
    {
        const string open = "<pre id=\"results\">";
        var start = dom.IndexOf(open, StringComparison.Ordinal);
        var end = start < 0 ? -1 : dom.IndexOf("</pre>", start, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException("the harness page did not finish (no results in the DOM Chromium printed): " + dom[..Math.Min(dom.Length, 2000)]);
        }
        var json = WebUtility.HtmlDecode(dom[(start + open.Length)..end]);
        return JsonSerializer.Deserialize<PageResults>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/harness", () => Results.Content(HarnessPage(_html.Keys.Order()), "text/html; charset=utf-8"));
        app.MapGet("/vector/{id:int}", (int id) =>
            Results.Content(VectorPage(id, _html.GetValueOrDefault(id, "")), "text/html; charset=utf-8"));
        app.MapGet("/report", (HttpContext context) =>
        {
            var query = context.Request.Query;
            _serverEvents.Enqueue(new XssEvent(int.TryParse(query["id"], out var id) ? id : 0, "server:" + query["kind"], query["detail"].ToString()));
            return Results.NoContent();
        });
        app.MapGet("/favicon.ico", () => Results.NotFound());
        // Anything else was requested by a vector: a script, style, frame, object, refresh or form target.
        app.MapFallback((HttpContext context) =>
        {
            var path = context.Request.Path.Value ?? "";
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var id = segments is ["hit", var n, ..] && int.TryParse(n, out var parsed) ? parsed : 0;
            _serverEvents.Enqueue(new XssEvent(id, "server:request", context.Request.Method + " " + path + context.Request.QueryString));
            return Results.NotFound();
        });
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static string HarnessPage(IEnumerable<int> ids)
    {
        var frames = new StringBuilder();
        foreach (var id in ids)
        {
            // No allow-top-navigation: a vector that navigates the top page would end the run (and is still seen by its unload hook).
            frames.Append(CultureInfo.InvariantCulture,
                $"<iframe class=\"v\" data-id=\"{id}\" src=\"/vector/{id}\" sandbox=\"allow-scripts allow-same-origin allow-forms\" width=\"300\" height=\"120\"></iframe>\n");
        }
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>xss harness</title><script>" + HarnessScript + "</script></head><body>"
            + frames + "<pre id=\"results\"></pre></body></html>";
    }

    private static string VectorPage(int id, string html) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>" + FrameHooks.Replace("__ID__", id.ToString(CultureInfo.InvariantCulture))
        + "</script></head><body>" + html + "</body></html>";

    private const string FrameHooks = """
        (function () {
          var id = __ID__;
          var send = window.fetch.bind(window);
          function report(kind, detail) {
            detail = String(detail).slice(0, 300);
            try { top.__record(id, kind, detail); } catch (e) { }
            try { send('/report?id=' + id + '&kind=' + encodeURIComponent(kind) + '&detail=' + encodeURIComponent(detail)); } catch (e) { }
          }
          window.x = function (n) { report('x', n); };
          ['alert', 'confirm', 'prompt', 'print'].forEach(function (name) { window[name] = function (m) { report(name, m); }; });
          window.open = function (u) { report('open', u); return null; };
          window.fetch = function (u) { report('fetch', u); return Promise.reject(new Error('blocked by harness')); };
          var xhrOpen = XMLHttpRequest.prototype.open;
          XMLHttpRequest.prototype.open = function (m, u) { report('xhr', u); return xhrOpen.apply(this, arguments); };
          navigator.sendBeacon = function (u) { report('beacon', u); return true; };
          window.WebSocket = function (u) { report('websocket', u); throw new Error('blocked by harness'); };
          window.EventSource = function (u) { report('eventsource', u); throw new Error('blocked by harness'); };
          // Chromium closing the page after the run unloads every frame too: only unloads during the run count.
          function leaving(e) { var finished = true; try { finished = top.__finished; } catch (x) { } if (!finished) report('navigate', e.type); }
          window.addEventListener('beforeunload', leaving);
          window.addEventListener('pagehide', leaving);
          // Safe links would just leave the frame; every other scheme is let through so it runs for real.
          document.addEventListener('click', function (e) {
            var link = e.target && e.target.closest ? e.target.closest('a[href], area[href]') : null;
            if (link && /^(https?|mailto|tel):$/.test(link.protocol)) e.preventDefault();
          }, true);
        })();
        """;

    private const string HarnessScript = """
        var events = [];
        window.__finished = false;
        var inspected = 0;
        window.__record = function (id, kind, detail) { events.push({ id: Number(id), kind: kind, detail: String(detail) }); };
        // A payload that reaches the top page directly (from a nested frame of a vector) calls top.x.
        window.x = function (n) { __record(n, 'x', 'top'); fetch('/report?id=' + n + '&kind=x&detail=top'); };
        var urlAttribute = /^(href|src|srcset|xlink:href|action|formaction|data|background|poster|code|codebase|dynsrc|lowsrc|srcdoc|content|to|values|from|by)$/i;
        var scriptUrl = /^[\s\u0000-\u0020]*(j[\s]*a[\s]*v[\s]*a[\s]*s[\s]*c[\s]*r[\s]*i[\s]*p[\s]*t|vbscript|livescript|data:text\/html|data:image\/svg)/i;
        var dangerousCss = /expression\s*\(|url\s*\(\s*['"]?\s*javascript|-moz-binding|behavior\s*:/i;
        var eventTypes = ['mouseover', 'mouseenter', 'pointerover', 'mousedown', 'mouseup', 'click', 'dblclick', 'contextmenu', 'focus', 'blur', 'keydown', 'input', 'change'];
        function inspect(frame) {
          var id = Number(frame.dataset.id), doc;
          try { doc = frame.contentDocument; } catch (e) { __record(id, 'navigated', 'cross-origin'); return; }
          if (!doc || !doc.location || doc.location.pathname !== '/vector/' + id) { __record(id, 'navigated', doc && doc.location ? doc.location.href : 'no document'); return; }
          inspected++;
          doc.querySelectorAll('*').forEach(function (el) {
            for (var i = 0; i < el.attributes.length; i++) {
              var a = el.attributes[i];
              if (/^on/i.test(a.name)) __record(id, 'static:handler', el.localName + ' ' + a.name);
              else if (urlAttribute.test(a.name) && scriptUrl.test(a.value.replace(/[\t\n\r]/g, ''))) __record(id, 'static:script-url', el.localName + ' ' + a.name + '=' + a.value);
              else if (a.name === 'style' && dangerousCss.test(a.value)) __record(id, 'static:css', el.localName + ' ' + a.value);
            }
          });
          doc.querySelectorAll('*').forEach(function (el) {
            eventTypes.forEach(function (type) {
              var event = /^(mouse|pointer|click|dblclick|contextmenu)/.test(type)
                ? new MouseEvent(type, { bubbles: true, cancelable: true, view: frame.contentWindow })
                : new Event(type, { bubbles: true, cancelable: true });
              try { el.dispatchEvent(event); } catch (e) { }
            });
          });
        }
        window.addEventListener('load', function () {
          setTimeout(function () {
            document.querySelectorAll('iframe.v').forEach(inspect);
            setTimeout(function () {
              window.__finished = true;
              document.getElementById('results').textContent = JSON.stringify({ inspected: inspected, events: events });
              document.title = 'done';
            }, 2000);
          }, 2000);
        });
        """;
}
