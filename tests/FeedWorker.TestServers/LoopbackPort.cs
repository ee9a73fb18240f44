using System.Net;
using System.Net.Sockets;

namespace FeedWorker.TestServers;

/// <summary>Ports on 127.0.0.1 for tests that need an address nothing serves (or that a process will listen on).</summary>
public static class LoopbackPort
{
    /// <summary>A port the OS just handed out and that nothing listens on now: bound, read and released.</summary>
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
