using System.Net;
using System.Net.Sockets;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// SocketsHttpHandler.ConnectCallback for full-content fetches: resolves the host itself, checks
/// every resolved address, then connects to exactly those addresses, so a DNS answer that changes
/// between check and connect (rebinding) cannot reach an internal address.
/// </summary>
internal sealed class GuardedConnector(DestinationPolicy policy)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        if (!policy.IsHostAllowlisted(host))
        {
            foreach (var address in addresses)
            {
                if (policy.IsRefused(address))
                {
                    throw new DestinationBlockedException(host, address);
                }
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
