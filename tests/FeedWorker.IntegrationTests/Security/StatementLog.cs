namespace FeedWorker.IntegrationTests.Security;

/// <summary>One message of the PostgreSQL server log: who sent it and its text, continuation lines included.</summary>
/// <param name="Application">The session's application_name.</param>
/// <param name="Message">From the severity on, e.g. <c>LOG:  execute &lt;unnamed&gt;: SELECT …</c> or <c>DETAIL:  Parameters: $1 = '…'</c>.</param>
public sealed record LogEntry(string Application, string Message)
{
    /// <summary>The values bound to an extended-protocol statement: the only place user data belongs.</summary>
    public bool IsBoundParameters =>
        Message.StartsWith("DETAIL:  Parameters: ", StringComparison.OrdinalIgnoreCase)
        // on an error, the portal's parameters are repeated as context
        || Message.StartsWith("CONTEXT:  unnamed portal with parameters: ", StringComparison.OrdinalIgnoreCase);

    /// <summary>SQL text as the server received it (simple or extended protocol), or repeated after an error.</summary>
    public bool IsStatement =>
        Message.StartsWith("LOG:  statement: ", StringComparison.Ordinal)
        || Message.StartsWith("LOG:  execute ", StringComparison.Ordinal)
        || Message.StartsWith("STATEMENT:  ", StringComparison.Ordinal);

    public override string ToString() => $"[{Application}] {Message}";
}

/// <summary>
/// Reads a server log written with <see cref="Settings"/>: every message starts a line with
/// <see cref="Prefix"/>, so SQL text and values that span lines stay with their message.
/// </summary>
public static class StatementLog
{
    public const string Prefix = "#fwlog# ";
    private const char ApplicationEnd = '|';

    /// <summary>Server settings that log every statement with its bound values, in a form <see cref="Read"/> can split.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["log_statement"] = "all",
        ["log_line_prefix"] = $"{Prefix}%a{ApplicationEnd}",
        ["log_destination"] = "stderr",
        // whole values, however long (the default, made explicit: the test depends on it)
        ["log_parameter_max_length"] = "-1",
    };

    public static async Task<IReadOnlyList<LogEntry>> ReadAsync(string path)
    {
        var entries = new List<LogEntry>();
        string? application = null;
        var message = new System.Text.StringBuilder();
        foreach (var line in await File.ReadAllLinesAsync(path))
        {
            if (line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                Flush();
                var rest = line[Prefix.Length..];
                var end = rest.IndexOf(ApplicationEnd, StringComparison.Ordinal);
                application = rest[..end];
                message.Append(rest[(end + 1)..]);
            }
            else if (application is not null)
            {
                message.Append('\n').Append(line);
            }
        }
        Flush();
        return entries;

        void Flush()
        {
            if (application is not null) entries.Add(new LogEntry(application, message.ToString()));
            message.Clear();
        }
    }
}
