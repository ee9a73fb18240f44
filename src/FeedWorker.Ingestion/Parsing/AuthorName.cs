using System.Text.RegularExpressions;

namespace FeedWorker.Ingestion.Parsing;

/// <summary>
/// The name in an author field. RSS 2.0 writes "jdoe@example.com (Jane Doe)", mail headers "Jane Doe &lt;jdoe@example.com&gt;";
/// readers show the name. A bare address stays as it is: it is all there is.
/// </summary>
internal static partial class AuthorName
{
    public static string? From(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var match = AddressThenName().Match(value);
        if (!match.Success)
        {
            match = NameThenAddress().Match(value);
        }
        return match.Success && match.Groups["name"].Value.Trim() is { Length: > 0 } name ? name : value.Trim();
    }

    [GeneratedRegex(@"^\s*(?:mailto:)?[^\s@()<>]+@[^\s@()<>]+\s*\((?<name>[^()]+)\)\s*$")]
    private static partial Regex AddressThenName();

    [GeneratedRegex(@"^\s*(?<name>[^<>@]+?)\s*<(?:mailto:)?[^\s@<>]+@[^\s@<>]+>\s*$")]
    private static partial Regex NameThenAddress();
}
