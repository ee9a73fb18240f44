using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace FeedWorker.TestServers;

/// <summary>One request a <see cref="LocalServer"/> received, copied (Kestrel reuses its request objects).</summary>
/// <param name="QueryString">The raw query, with its leading <c>?</c>; empty when there is none.</param>
public sealed record ServedRequest(string Method, string Path, string QueryString, IReadOnlyDictionary<string, string> Headers)
{
    public static ServedRequest Of(HttpRequest request) => new(
        request.Method,
        request.Path.Value ?? "",
        request.QueryString.Value ?? "",
        request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));

    /// <summary>The value of one query parameter, or an empty string.</summary>
    public string Query(string name) => QueryHelpers.ParseQuery(QueryString).TryGetValue(name, out var value) ? value.ToString() : "";

    /// <summary>The request line as a log shows it, e.g. <c>GET /dtd?x=1</c>.</summary>
    public override string ToString() => $"{Method} {Path}{QueryString}";
}
