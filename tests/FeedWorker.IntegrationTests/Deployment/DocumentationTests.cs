using System.Reflection;
using System.Text.RegularExpressions;
using FeedWorker.Commands;
using FeedWorker.Configuration;
using FeedWorker.Ingestion;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.FullContent;
using FeedWorker.Ingestion.Rules;
using FeedWorker.IntegrationTests.Storage;
using FeedWorker.Observability;
using FeedWorker.Scheduling;
using FeedWorker.Storage;

namespace FeedWorker.IntegrationTests.Deployment;

/// <summary>
/// README is short and links to references; these keep the two in step with the code: every setting
/// the options classes bind is in the configuration reference with its environment-variable form,
/// every command is in README's table, and every link between the documents leads somewhere.
/// </summary>
public sealed partial class DocumentationTests
{
    private static readonly string Root = Path.GetDirectoryName(RepositoryFiles.Find("FeedWorker.sln"))!;
    private static readonly string Reference = File.ReadAllText(RepositoryFiles.Find("src", "FeedWorker", "Configuration", "README.md"));

    /// <summary>Every configuration key, written as the reference writes it: N indexes a feed, M any other list, NAME a dictionary key.</summary>
    public static TheoryData<string> Settings()
    {
        var keys = new TheoryData<string> { $"ConnectionStrings:{FeedWorkerOptions.ConnectionStringName}" };
        (string Section, Type Options)[] sections =
        [
            (FeedWorkerOptions.SectionName, typeof(FeedWorkerOptions)),
            (SchedulingOptions.Section, typeof(SchedulingOptions)),
            (FetcherOptions.SectionName, typeof(FetcherOptions)),
            (FullContentOptions.SectionName, typeof(FullContentOptions)),
            (MetricsOptions.SectionName, typeof(MetricsOptions)),
            (RetentionOptions.SectionName, typeof(RetentionOptions)),
            (NotificationOptions.SectionName, typeof(NotificationOptions)),
        ];
        foreach (var (section, options) in sections)
        {
            foreach (var key in Keys(section, options)) keys.Add(key);
        }
        return keys;
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Every_setting_is_in_the_configuration_reference_with_its_environment_variable(string key)
    {
        Assert.Matches($"`{Regex.Escape(key)}[`:]", Reference);
        // FeedWorker:Feeds:N:Headers:NAME is set as FeedWorker__Feeds__0__Headers__<name>
        var variable = string.Join("__", key.Split(':').Select(part => part is "N" or "M" ? "0" : part is "NAME" ? "" : part));
        Assert.Contains(variable, Reference, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_field_of_a_keep_or_block_rule_is_in_the_configuration_reference()
    {
        var rules = Section(Reference, "## Keep and block rules");
        Assert.All(Settable(typeof(ItemRuleOptions)), p => Assert.Contains($"`{p.Name}`", rules, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_command_is_in_the_readme_table()
    {
        var commands = Section(File.ReadAllText(Path.Combine(Root, "README.md")), "## Commands");
        var names = FeedWorkerCommandLine.Build().Subcommands.Select(c => c.Name).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains($"| `{name}", commands, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_error_kind_is_in_the_schema_reference_table_and_the_table_lists_no_other()
    {
        var feeds = Section(File.ReadAllText(RepositoryFiles.Find("src", "FeedWorker.Storage", "README.md")), "## `feeds`: subscriptions and their fetch state");
        var documented = ErrorKindRow().Matches(feeds).Select(m => m.Groups["text"].Value).Order(StringComparer.Ordinal);
        Assert.Equal(Enum.GetValues<FeedErrorKind>().Select(FeedErrorKindText.Of).Order(StringComparer.Ordinal), documented);
    }

    public static TheoryData<string> Documents()
    {
        var documents = new TheoryData<string> { "README.md" };
        foreach (var folder in new[] { "src", "tests", "deploy" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, folder), "*.md", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                     && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                documents.Add(Path.GetRelativePath(Root, file));
            }
        }
        return documents;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_link_between_the_documents_leads_to_a_file_and_heading_that_exist(string document)
    {
        var path = Path.Combine(Root, document);
        var text = FencedBlock().Replace(File.ReadAllText(path), "");
        foreach (Match link in MarkdownLink().Matches(text))
        {
            var target = link.Groups["target"].Value;
            if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal)) continue;
            var parts = target.Split('#', 2);
            var file = parts[0].Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, parts[0]));
            Assert.True(File.Exists(file) || Directory.Exists(file), $"{document}: {target} does not exist");
            if (parts.Length == 2)
            {
                Assert.True(File.Exists(file), $"{document}: {target} points into a folder");
                Assert.True(Headings(File.ReadAllText(file)).Contains(parts[1]), $"{document}: {target} names no heading");
            }
        }
    }

    private static IEnumerable<string> Keys(string prefix, Type options)
    {
        foreach (var property in Settable(options))
        {
            var key = $"{prefix}:{property.Name}";
            var type = property.PropertyType;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                yield return $"{key}:NAME";
            }
            else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            {
                var element = type.GetGenericArguments()[0];
                if (element == typeof(FeedOptions))
                {
                    foreach (var feedKey in Keys($"{key}:N", element)) yield return feedKey;
                }
                else
                {
                    // a list of values, or of rules (whose fields are checked on their own)
                    yield return $"{key}:M";
                }
            }
            else if (type.IsClass && type != typeof(string))
            {
                foreach (var nested in Keys(key, type)) yield return nested;
            }
            else
            {
                yield return key;
            }
        }
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true });

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf($"\n{heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no heading '{heading}'");
        var level = heading[..(heading.IndexOf(' ', StringComparison.Ordinal) + 1)];
        var end = markdown.IndexOf($"\n{level}", start + heading.Length + 2, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }

    /// <summary>The anchors GitHub gives the headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Headings(string markdown) =>
        Heading().Matches(FencedBlock().Replace(markdown, ""))
            .Select(m => AnchorPunctuation().Replace(m.Groups["text"].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"```.*?```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    /// <summary>A row of the error-kind table: its first cell is a code span and it has three cells.</summary>
    [GeneratedRegex(@"^\| `(?<text>[^`]+)` \|[^|\n]+\|[^|\n]+\|$", RegexOptions.Multiline)]
    private static partial Regex ErrorKindRow();

    [GeneratedRegex(@"^#{1,6} (?<text>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{Nd}\- _]")]
    private static partial Regex AnchorPunctuation();
}
