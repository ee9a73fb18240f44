using AngleSharp.Css.Parser;
using FeedWorker.Ingestion.Cleaning;
using Ganss.Xss;

namespace FeedWorker.Ingestion.Tests.Cleaning;

public sealed class FeedSanitizerTests
{
    /// <summary>
    /// Cleaning parses with the library's own parser settings (scripting on, so noscript content is raw text as in a
    /// browser that runs scripts), without position tracking, in a browsing context without CSS: nothing parses a
    /// style attribute into a declaration.
    /// </summary>
    [Fact]
    public void The_parser_is_the_library_default_without_position_tracking_or_css()
    {
        var shipped = HtmlSanitizer.DefaultHtmlParserFactory();

        var parser = FeedSanitizer.Create().HtmlParserFactory();

        Assert.True(shipped.Options.IsScripting);
        Assert.Equal(shipped.Options with { DisableElementPositionTracking = true }, parser.Options);
        Assert.NotNull(shipped.ParseDocument("").Context.GetService<ICssParser>());
        Assert.Null(parser.ParseDocument("").Context.GetService<ICssParser>());
    }
}
