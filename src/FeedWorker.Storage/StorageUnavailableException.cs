using System.Net.Sockets;
using Npgsql;

namespace FeedWorker.Storage;

/// <summary>
/// PostgreSQL cannot serve us for now (down, refused, network, saturated): nothing was written, the
/// work can be retried.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>
    /// True for errors that mean "the server is not there, or cannot serve now", as opposed to a bad
    /// statement or a constraint: the transaction was rolled back and the same work succeeds later.
    /// Npgsql's <see cref="NpgsqlException.IsTransient"/> decides (connection failures, I/O and
    /// timeouts, too many clients, shutdowns, lock, serialization and deadlock failures), plus a
    /// statement timeout, which it leaves out because a cancellation it cannot tell from ours would
    /// be retried forever; our own cancellation surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        StorageUnavailableException => true,
        PostgresException pg => pg.IsTransient || pg.SqlState == PostgresErrorCodes.QueryCanceled,
        NpgsqlException n => n.IsTransient || n.InnerException is { } inner && IsUnavailable(inner),
        SocketException or EndOfStreamException => true,
        _ => false,
    };

    /// <summary>
    /// True when the exception or one it wraps (a job store's, say) is a database error that <see cref="IsUnavailable"/>:
    /// a socket error with no database client in the chain (an HTTP fetch, say) is not the database's.
    /// </summary>
    public static bool IsCausedByUnavailable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is NpgsqlException or StorageUnavailableException && IsUnavailable(x)) return true;
        }
        return false;
    }

    /// <summary>One line: what failed and why, without a stack trace.</summary>
    public static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            // some libraries (Quartz) put the inner exception's stack trace into their message
            var message = FirstLine(x.Message);
            if (!messages.Any(m => m.Contains(message, StringComparison.Ordinal))) messages.Add(message);
        }
        return string.Join(": ", messages);
    }

    public static string FirstLine(string text) => text.AsSpan().TrimStart() is var t && t.IndexOfAny('\r', '\n') is var end and >= 0
        ? t[..end].TrimEnd().ToString()
        : text.Trim();
}
