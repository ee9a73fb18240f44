using System.Net;
using System.Net.Sockets;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// Decides which addresses full-content fetches may connect to (<see cref="GuardedConnector"/>) and a
/// feed's redirect may lead to (<see cref="HttpDocumentFetcher"/>). Article links come from untrusted
/// feeds, so internal networks are refused unless allowlisted (server-side request forgery).
/// </summary>
internal sealed class DestinationPolicy
{
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // unspecified, "this network"
        IPNetwork.Parse("10.0.0.0/8"),       // private
        IPNetwork.Parse("100.64.0.0/10"),    // CGNAT (also Alibaba's 100.100.100.200 metadata)
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, 169.254.169.254 metadata
        IPNetwork.Parse("172.16.0.0/12"),    // private
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments (Oracle's 192.0.0.192 metadata)
        IPNetwork.Parse("192.168.0.0/16"),   // private
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, broadcast
        IPNetwork.Parse("::/128"),           // unspecified
        IPNetwork.Parse("::1/128"),          // loopback
        IPNetwork.Parse("fc00::/7"),         // unique local (AWS's fd00:ec2::254 metadata)
        IPNetwork.Parse("fe80::/10"),        // link-local
        IPNetwork.Parse("fec0::/10"),        // deprecated site-local
        IPNetwork.Parse("ff00::/8"),         // multicast
    ];

    // The NAT64 well-known prefix carries an IPv4 address in its last 32 bits.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private readonly List<IPNetwork> _allowedNetworks = [];
    private readonly HashSet<string> _allowedHosts = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="allowlist">CIDRs, addresses and host names reachable although internal (configured as <c>FeedWorker:FullContent:Allowlist</c>).</param>
    public DestinationPolicy(IEnumerable<string> allowlist)
    {
        foreach (var entry in allowlist.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (IPNetwork.TryParse(entry, out var network)) _allowedNetworks.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) _allowedNetworks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            else _allowedHosts.Add(entry.TrimEnd('.'));
        }
    }

    public bool IsHostAllowlisted(string host) => _allowedHosts.Contains(host.TrimEnd('.'));

    public bool IsRefused(IPAddress address)
    {
        var normalized = Normalize(address);
        if (_allowedNetworks.Any(n => n.Contains(normalized) || n.Contains(address)))
        {
            return false;
        }
        return Refused.Any(n => n.Contains(normalized));
    }

    private static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Nat64.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            return new IPAddress(bytes.AsSpan(12, 4));
        }
        return address;
    }
}
