using System.Net;
using System.Net.Sockets;

namespace FeedWorker.TestServers;

/// <summary>
/// A TCP listener on 127.0.0.1 that hands each accepted connection to a script: for servers that break
/// the protocol below HTTP (a TLS port answering garbage, a reset mid-handshake, a status line with a NUL,
/// a body shorter than its Content-Length), which Kestrel cannot play.
/// </summary>
public sealed class RawTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    public RawTcpServer(Func<Socket, CancellationToken, Task> onConnection)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync(onConnection);
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>A server that answers each connection's first bytes (a ClientHello or a request head) with <paramref name="response"/>.</summary>
    public static RawTcpServer AnsweringWith(byte[] response) => new(async (socket, ct) =>
    {
        await ReceiveFirstAsync(socket, ct);
        await socket.SendAsync(response, SocketFlags.None, ct);
    });

    /// <summary>Reads what the client sent first (a ClientHello or a request head); empty if it sent nothing.</summary>
    public static async Task<byte[]> ReceiveFirstAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        return buffer[..read];
    }

    private async Task AcceptAsync(Func<Socket, CancellationToken, Task> onConnection)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(async () =>
            {
                using (socket)
                {
                    try
                    {
                        await onConnection(socket, _stop.Token);
                    }
                    catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
                    {
                        // the client gave up or the test ended
                    }
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }
}
