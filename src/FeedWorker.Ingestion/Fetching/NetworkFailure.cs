using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>
/// Names a failed request's cause for an operator: the host name does not resolve, nothing listens,
/// the server cut the connection, the TLS handshake failed, or the server does not speak HTTP.
/// Reads the structured signals (<see cref="HttpRequestError"/>, <see cref="SocketError"/>,
/// <see cref="AuthenticationException"/>) rather than message texts, which vary by platform.
/// </summary>
internal static class NetworkFailure
{
    public static (FeedErrorKind Kind, string Cause) Classify(Exception exception, Uri url)
    {
        var socket = ExceptionChain.Find<SocketException>(exception);
        var error = RequestError(exception);

        if (error == HttpRequestError.NameResolutionError
            || socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain)
        {
            return socket?.SocketErrorCode == SocketError.TryAgain
                ? (FeedErrorKind.NameResolution, $"the host name {url.Host} could not be resolved: the DNS server failed or did not answer ({Messages(socket)})")
                : (FeedErrorKind.NameResolution, $"the host name {url.Host} does not resolve ({Messages(socket ?? exception)})");
        }
        if (error == HttpRequestError.SecureConnectionError || ExceptionChain.Find<AuthenticationException>(exception) is not null)
        {
            return (FeedErrorKind.Tls, $"TLS handshake failed: {TlsCause(exception)}");
        }
        if (socket?.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return (FeedErrorKind.ConnectionRefused, $"connection refused: nothing accepts connections on {url.Host}:{url.Port}");
        }
        if (socket?.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
            || error == HttpRequestError.ResponseEnded)
        {
            return (FeedErrorKind.ConnectionReset, $"the server closed the connection before the response was complete ({Messages(exception)})");
        }
        if (error is HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError)
        {
            return (FeedErrorKind.Protocol, $"not a valid HTTP response ({Messages(exception)})");
        }
        return (FeedErrorKind.Network, Messages(exception));
    }

    /// <summary>
    /// A failure that another attempt within the same fetch would only repeat: the name does not exist,
    /// or the server's certificate or TLS parameters were refused. Resets and DNS time-outs may pass.
    /// </summary>
    public static bool IsPermanent(Exception exception)
    {
        var socket = ExceptionChain.Find<SocketException>(exception);
        return socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData
            || ExceptionChain.Find<AuthenticationException>(exception) is not null;
    }

    private static string TlsCause(Exception exception)
    {
        // SslStream reports the certificate verdict in plain words ("The remote certificate is invalid
        // because of errors in the certificate chain: UntrustedRoot"); the wrapper above it says nothing.
        var authentication = ExceptionChain.Find<AuthenticationException>(exception);
        var text = Messages(authentication ?? exception.InnerException ?? exception);
        if (authentication is null)
        {
            text = $"the server closed or broke the connection during the handshake ({text})";
        }
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    private static HttpRequestError? RequestError(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } request:
                    return request.HttpRequestError;
                case HttpIOException { HttpRequestError: not HttpRequestError.Unknown } io:
                    return io.HttpRequestError;
            }
        }
        return null;
    }

    /// <summary>The distinct messages of the exception chain, outermost first.</summary>
    internal static string Messages(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message.TrimEnd('.', ' ');
            if (message.EndsWith("see inner exception", StringComparison.Ordinal)) continue;
            if (!messages.Any(m => m.Contains(message, StringComparison.Ordinal))) messages.Add(message);
        }
        return string.Join(": ", messages);
    }
}
