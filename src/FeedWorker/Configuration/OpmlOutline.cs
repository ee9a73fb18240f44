namespace FeedWorker.Configuration;

/// <summary>One feed of an OPML subscription list.</summary>
/// <param name="XmlUrl">The feed's URL as written in the file.</param>
/// <param name="Title">The outline's <c>title</c>, else its <c>text</c>.</param>
/// <param name="Tags">The folders the outline sits in and its <c>category</c> entries, outermost first.</param>
internal sealed record OpmlOutline(string XmlUrl, string? Title, string? HtmlUrl, IReadOnlyList<string> Tags);

/// <summary>An OPML file that cannot be read; the message names the line where that is known.</summary>
internal sealed class OpmlFormatException(string message, Exception? inner = null) : Exception(message, inner);
