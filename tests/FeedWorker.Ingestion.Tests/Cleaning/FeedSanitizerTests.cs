using FeedWorker.Ingestion.Cleaning;
using Ganss.Xss;

namespace FeedWorker.Ingestion.Tests.Cleaning;

public sealed class FeedSanitizerTests
{
    /// <summary>
    /// Cleaning parses with the library's own parser settings (scripting on, so noscript content is raw text as in a
    /// browser that runs scripts) and its CSS-aware browsing context; only position tracking is off.
    /// </summary>
    [Fact]
    public void The_parser_is_the_library_default_without_position_tracking()
    {
        var shipped = HtmlSanitizer.DefaultHtmlParserFactory();

        var parser = FeedSanitizer.Create().HtmlParserFactory();

        Assert.True(shipped.Options.IsScripting);
        Assert.Equal(shipped.Options with { DisableElementPositionTracking = true }, parser.Options);
        Assert.Same(shipped.ParseDocument("").Context, parser.ParseDocument("").Context);
    }
}
