using System.Net;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>Thrown at connect time when an article host resolves to an address the policy refuses.</summary>
internal sealed class DestinationBlockedException(string host, IPAddress address)
    : Exception($"refused to connect to {host}: it resolves to {address}, an internal address (loopback, private, link-local, CGNAT, multicast, unspecified or metadata); allowlist it in FeedWorker:FullContent:Allowlist to permit")
{
}
