using FeedWorker.Ingestion.Parsing;

namespace FeedWorker.Ingestion.Tests.Parsing;

public sealed class AuthorNameTests
{
    [Theory]
    [InlineData("jdoe@example.com (Jane Doe)", "Jane Doe")]
    [InlineData("  mailto:jdoe@example.com  ( Jane Doe ) ", "Jane Doe")]
    [InlineData("Jane Doe <jdoe@example.com>", "Jane Doe")]
    [InlineData("jdoe@example.com", "jdoe@example.com")]
    [InlineData("Jane Doe", "Jane Doe")]
    [InlineData("Jane Doe (Reuters)", "Jane Doe (Reuters)")]
    public void The_name_wins_and_a_bare_address_stays(string written, string expected)
    {
        Assert.Equal(expected, AuthorName.From(written));
    }

    [Fact]
    public void Atom_author_with_name_and_email_is_the_name()
    {
        var feed = ParserTestHelpers.ParseOk("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
            <entry><id>e1</id><title>A</title><author><name>Jane Doe</name><email>jdoe@example.com</email></author></entry>
            <entry><id>e2</id><title>B</title><author><email>jdoe@example.com</email></author></entry></feed>
            """);

        Assert.Equal(["Jane Doe", "jdoe@example.com"], feed.Articles.Select(a => a.Author));
    }
}
