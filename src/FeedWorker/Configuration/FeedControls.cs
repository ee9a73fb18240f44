using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.Rules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FeedWorker.Configuration;

/// <summary>A feed's controls from configuration: its request options, the rules that filter its items, its retention, its base URL.</summary>
/// <param name="Request">Credentials, headers and proxy; null when the feed has none.</param>
/// <param name="MaxAge">The feed's own retention, overriding the global one; null: the global one.</param>
/// <param name="BaseUrl">What relative links resolve against when the feed is read from a file (<c>BaseUrl</c>); null: its site link.</param>
public sealed record FeedControl(FeedRequestOptions? Request, ItemRules Rules, TimeSpan? MaxAge, Uri? BaseUrl = null)
{
    /// <summary>No request options, no rules, the global retention.</summary>
    public static FeedControl None { get; } = new(null, ItemRules.None, null);
}

/// <summary>
/// Looks up a feed's controls by its configured URL. They live in configuration only (secrets never go to
/// the database); they are compiled once per configuration version and follow reloads.
/// </summary>
public sealed class FeedControls(IOptionsMonitor<FeedWorkerOptions> options, IHostEnvironment environment)
{
    private readonly Lock _gate = new();
    private FeedWorkerOptions? _source;
    private (Dictionary<string, FeedControl> ByUrl, FeedControl Default) _compiled = ([], FeedControl.None);

    /// <param name="configuredUrl">The feed's identity (<c>feeds.url</c>), not where it was redirected to.</param>
    public FeedControl For(string configuredUrl)
    {
        var (byUrl, fallback) = Current();
        return byUrl.TryGetValue(configuredUrl, out var control) ? control : fallback;
    }

    /// <summary>Every configured per-feed retention, by configured URL.</summary>
    public IReadOnlyDictionary<string, TimeSpan> MaxAges() =>
        Current().ByUrl.Where(p => p.Value.MaxAge is not null).ToDictionary(p => p.Key, p => p.Value.MaxAge!.Value);

    private (Dictionary<string, FeedControl> ByUrl, FeedControl Default) Current()
    {
        FeedWorkerOptions current;
        try
        {
            current = options.CurrentValue;
        }
        catch (OptionsValidationException)
        {
            // an edit broke the configuration: the feed list synchronizer reports it, and the controls
            // last compiled stay in force, like the feed list
            lock (_gate) return _compiled;
        }
        lock (_gate)
        {
            if (!ReferenceEquals(current, _source))
            {
                _compiled = Compile(current);
                _source = current;
            }
            return _compiled;
        }
    }

    private (Dictionary<string, FeedControl>, FeedControl) Compile(FeedWorkerOptions current)
    {
        var global = GlobalRules(current).Rules;
        var byUrl = new Dictionary<string, FeedControl>();
        for (var i = 0; i < current.Feeds.Count; i++)
        {
            var feed = current.Feeds[i];
            if (feed.Url is null || FeedUrls.Resolve(feed.Url, environment.ContentRootPath) is not { } url) continue;
            var path = $"{FeedWorkerOptions.SectionName}:Feeds:{i}";
            var own = ItemRules.Compile(feed.KeepRules, $"{path}:KeepRules", feed.BlockRules, $"{path}:BlockRules").Rules;
            var baseUrl = Uri.TryCreate(feed.BaseUrl?.Trim(), UriKind.Absolute, out var parsedBase) ? parsedBase : null;
            byUrl.TryAdd(url, new FeedControl(RequestOptions(feed, new Uri(url)), global.With(own), feed.MaxAge, baseUrl));
        }
        return (byUrl, new FeedControl(null, global, null));
    }

    private static FeedRequestOptions? RequestOptions(FeedOptions feed, Uri url)
    {
        var fromUrl = Uri.TryCreate(feed.Url?.Trim(), UriKind.Absolute, out var written) ? UrlUserInfo.Credentials(written) : null;
        var username = feed.Username ?? fromUrl?.User;
        var password = feed.Password ?? fromUrl?.Password;
        var proxy = string.IsNullOrWhiteSpace(feed.Proxy) ? null : new Uri(feed.Proxy.Trim());
        if (username is null && password is null && feed.Headers.Count == 0 && proxy is null) return null;
        return new FeedRequestOptions
        {
            Origin = url,
            Username = username,
            Password = password,
            Headers = new Dictionary<string, string>(feed.Headers, StringComparer.OrdinalIgnoreCase),
            Proxy = proxy,
        };
    }

    public static (ItemRules Rules, IReadOnlyList<string> Errors) GlobalRules(FeedWorkerOptions options) =>
        ItemRules.Compile(
            options.Rules.Keep, $"{FeedWorkerOptions.SectionName}:Rules:Keep",
            options.Rules.Block, $"{FeedWorkerOptions.SectionName}:Rules:Block");

    /// <summary>The problems of a feed entry's controls, by configuration path; values of secrets are never quoted.</summary>
    public static IEnumerable<string> Validate(FeedOptions feed, string path)
    {
        if (!string.IsNullOrWhiteSpace(feed.Proxy)
            && !(Uri.TryCreate(feed.Proxy.Trim(), UriKind.Absolute, out var proxy) && FeedRequestOptions.IsSupportedProxy(proxy)))
        {
            yield return $"{path}:Proxy: '{UrlUserInfo.Strip(feed.Proxy)}' is not an http, https or socks5 proxy URL";
        }
        foreach (var (name, value) in feed.Headers)
        {
            if (!IsToken(name))
            {
                yield return $"{path}:Headers:{name}: is not a valid header name";
            }
            else if (value.Any(c => c is '\r' or '\n' or '\0'))
            {
                yield return $"{path}:Headers:{name}: the value contains a line break or NUL";
            }
            else if (!IsRequestHeader(name))
            {
                yield return $"{path}:Headers:{name}: is not a request header (Content-Type and the like cannot be set on a GET)";
            }
        }
        if (feed.MaxAge is { } age && age <= TimeSpan.Zero) yield return $"{path}:MaxAge: must be positive";
        foreach (var error in ItemRules.Compile(feed.KeepRules, $"{path}:KeepRules", feed.BlockRules, $"{path}:BlockRules").Errors)
        {
            yield return error;
        }
    }

    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => c is > ' ' and < (char)127 && !"()<>@,;:\\\"/[]?={}".Contains(c));

    private static bool IsRequestHeader(string name)
    {
        using var probe = new HttpRequestMessage();
        return probe.Headers.TryAddWithoutValidation(name, "x");
    }
}
