namespace FeedWorker.Storage;

/// <summary>Cleaned HTML and its plain text, e.g. from the article's own page.</summary>
public sealed record ArticleContent(string Html, string Text);
