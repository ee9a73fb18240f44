using System.Text.Json;
using System.Text.RegularExpressions;
using FeedWorker.IntegrationTests.Storage;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace FeedWorker.IntegrationTests.Deployment;

/// <summary>
/// No Docker engine runs here, so the container files are checked against what the worker really
/// reads: the compose file's names, ports, health checks and variables, and the Dockerfile's user
/// and health check.
/// </summary>
public sealed partial class ContainerFilesTests
{
    private static readonly YamlMappingNode Compose = Load(RepositoryFiles.Find("docker-compose.yml"));
    private static readonly string Dockerfile = File.ReadAllText(RepositoryFiles.Find("deploy", "Dockerfile"));

    private static YamlMappingNode Services => (YamlMappingNode)Compose["services"];

    [Fact]
    public void The_worker_connects_to_the_postgres_service_with_its_user_database_and_port()
    {
        var postgres = (YamlMappingNode)Services["postgres"];
        var environment = (YamlMappingNode)((YamlMappingNode)Services["worker"])["environment"];
        // the worker reads ConnectionStrings:FeedWorker; in the environment that is ConnectionStrings__FeedWorker
        var connection = new NpgsqlConnectionStringBuilder(ResolvePassword(Scalar(environment, "ConnectionStrings__FeedWorker")));
        var postgresEnvironment = (YamlMappingNode)postgres["environment"];

        Assert.Equal("postgres", connection.Host);
        Assert.Equal(5432, connection.Port);
        Assert.Equal(Scalar(postgresEnvironment, "POSTGRES_USER"), connection.Username);
        Assert.Equal(Scalar(postgresEnvironment, "POSTGRES_DB"), connection.Database);
        Assert.Equal("from-env-file", connection.Password);
        Assert.Contains(((YamlSequenceNode)postgres["ports"]).Children, p => p.ToString().EndsWith(":5432", StringComparison.Ordinal));
    }

    [Fact]
    public void The_password_comes_from_an_env_file_not_from_the_compose_file()
    {
        var postgres = (YamlMappingNode)Services["postgres"];
        Assert.False(((YamlMappingNode)postgres["environment"]).Children.ContainsKey("POSTGRES_PASSWORD"));
        Assert.Contains(((YamlSequenceNode)postgres["env_file"]).Children, f => f.ToString() == ".env");
        Assert.Contains("POSTGRES_PASSWORD=", File.ReadAllText(RepositoryFiles.Find(".env.example")));
        Assert.Contains(".env", File.ReadAllLines(RepositoryFiles.Find(".gitignore")));
    }

    [Fact]
    public void Postgres_is_pinned_persistent_and_health_checked_with_its_own_user_and_database()
    {
        var postgres = (YamlMappingNode)Services["postgres"];
        Assert.Matches(@"^postgres:\d+$", Scalar(postgres, "image"));
        var volume = ((YamlSequenceNode)postgres["volumes"]).Children.Single().ToString();
        Assert.Equal("pgdata:/var/lib/postgresql/data", volume);
        Assert.True(((YamlMappingNode)Compose["volumes"]).Children.ContainsKey("pgdata"));
        var test = string.Join(' ', ((YamlSequenceNode)((YamlMappingNode)postgres["healthcheck"])["test"]).Children.Select(c => c.ToString()));
        var environment = (YamlMappingNode)postgres["environment"];
        Assert.Contains($"pg_isready -U {Scalar(environment, "POSTGRES_USER")} -d {Scalar(environment, "POSTGRES_DB")}", test);
    }

    [Fact]
    public void The_worker_waits_for_a_healthy_database_restarts_and_runs_the_worker_command()
    {
        var worker = (YamlMappingNode)Services["worker"];
        var dependsOn = (YamlMappingNode)((YamlMappingNode)worker["depends_on"])["postgres"];
        Assert.Equal("service_healthy", Scalar(dependsOn, "condition"));
        Assert.Equal("unless-stopped", Scalar(worker, "restart"));
        Assert.Equal("deploy/Dockerfile", Scalar((YamlMappingNode)worker["build"], "dockerfile"));
        Assert.Equal(["run"], ((YamlSequenceNode)worker["command"]).Children.Select(c => c.ToString()));
        Assert.Contains(Commands().Subcommands, c => c.Name == "run");
    }

    [Fact]
    public void The_seed_fixtures_are_mounted_where_the_default_feed_list_looks_for_them()
    {
        var mount = ((YamlSequenceNode)((YamlMappingNode)Services["worker"])["volumes"]).Children.Select(v => v.ToString()).Single(v => v.StartsWith("./seeds", StringComparison.Ordinal));
        Assert.Equal("./seeds:/app/seeds:ro", mount);
        using var settings = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Find("src", "FeedWorker", "appsettings.json")));
        var seedFeeds = settings.RootElement.GetProperty("FeedWorker").GetProperty("Feeds").EnumerateArray()
            .Select(f => f.GetProperty("Url").GetString()!).Where(u => u.StartsWith("seeds/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(seedFeeds);
        // the image's content root is /app: each seed feed must exist in the mounted folder
        Assert.All(seedFeeds, f => Assert.True(File.Exists(RepositoryFiles.Find(f.Split('/'))), f));
    }

    [Fact]
    public void The_public_feeds_opml_is_mounted_where_the_worker_is_told_to_read_it()
    {
        var worker = (YamlMappingNode)Services["worker"];
        // FeedWorker:OpmlFiles:0 in the environment
        var path = Scalar((YamlMappingNode)worker["environment"], "FeedWorker__OpmlFiles__0");
        var mount = ((YamlSequenceNode)worker["volumes"]).Children.Select(v => v.ToString().Split(':')).Single(m => m[1] == path);
        Assert.True(File.Exists(RepositoryFiles.Find(mount[0].TrimStart('.', '/').Split('/'))), mount[0]);
        Assert.Equal("ro", mount[2]);
    }

    [Fact]
    public void A_second_replica_runs_under_the_scale_out_profile_with_the_workers_settings()
    {
        var second = (YamlMappingNode)Services["worker-2"];
        Assert.Contains(((YamlSequenceNode)second["profiles"]).Children, p => p.ToString() == "scale-out");
        // the YAML merge key (<<: *worker) gives it the worker's build, environment and dependencies
        Assert.Same(Services["worker"], second["<<"]);
    }

    [Fact]
    public void The_image_runs_as_a_non_root_user_with_a_health_check_on_the_health_command()
    {
        Assert.Matches(@"(?m)^FROM --platform=\$BUILDPLATFORM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", Dockerfile);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/runtime:10\.0 AS final$", Dockerfile);
        Assert.Matches(@"(?m)^USER \$APP_UID$", Dockerfile);
        Assert.Matches(@"(?m)^\s+CMD \[""dotnet"", ""/app/FeedWorker\.dll"", ""health""\]$", Dockerfile);
        Assert.Contains(Commands().Subcommands, c => c.Name == "health");
        // only the publish output goes into the final image
        var final = Dockerfile[Dockerfile.IndexOf("AS final", StringComparison.Ordinal)..];
        Assert.Equal(["COPY --from=build /app ./"], CopyLine().Matches(final).Select(m => m.Value.Trim()));
    }

    [Fact]
    public void Every_project_the_image_restores_exists()
    {
        foreach (Match copy in ProjectCopy().Matches(Dockerfile))
        {
            Assert.True(File.Exists(RepositoryFiles.Find(copy.Groups["path"].Value.Split('/'))), copy.Value);
        }
        // the host's own project references: what the image must restore besides the host
        var host = RepositoryFiles.Find("src", "FeedWorker", "FeedWorker.csproj");
        var projects = System.Xml.Linq.XDocument.Load(host).Descendants("ProjectReference").Select(r => r.Attribute("Include")!.Value).ToList();
        Assert.NotEmpty(projects);
        Assert.All(projects, p => Assert.Contains(Path.GetFileName(p.Replace('\\', '/')), Dockerfile));
        Assert.Equal(3, ProjectCopy().Matches(Dockerfile).Count); // the host and the two libraries it references
    }

    [Fact]
    public void The_files_the_host_project_imports_are_copied_before_the_restore()
    {
        var host = RepositoryFiles.Find("src", "FeedWorker", "FeedWorker.csproj");
        var imports = System.Xml.Linq.XDocument.Load(host).Descendants("Import").Select(i => i.Attribute("Project")!.Value).ToList();
        Assert.NotEmpty(imports);
        var beforeRestore = Dockerfile[..Dockerfile.IndexOf("RUN dotnet restore", StringComparison.Ordinal)];
        var copied = CopyLine().Matches(beforeRestore).SelectMany(m => m.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        foreach (var import in imports.Select(i => i.Replace('\\', '/')))
        {
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(host)!, import)), import);
            Assert.Contains($"src/FeedWorker/{import}", copied);
        }
    }

    [Fact]
    public void The_image_publishes_precompiled_code_for_the_architecture_it_is_built_for()
    {
        var host = System.Xml.Linq.XDocument.Load(RepositoryFiles.Find("src", "FeedWorker", "FeedWorker.csproj"));
        Assert.Equal("true", host.Descendants("PublishReadyToRun").Single().Value);
        // ReadyToRun code is per architecture: restore and publish both name the image's, or --no-restore fails
        var build = Dockerfile[Dockerfile.IndexOf("AS build", StringComparison.Ordinal)..Dockerfile.IndexOf("AS final", StringComparison.Ordinal)];
        Assert.Matches(@"(?m)^ARG TARGETARCH$", build);
        var commands = DotnetCommand().Matches(build).Select(m => m.Groups["verb"].Value + (m.Value.Contains("-a $TARGETARCH", StringComparison.Ordinal) ? " -a" : "")).ToList();
        Assert.Equal(["restore -a", "publish -a"], commands);
    }

    private static System.CommandLine.RootCommand Commands() => FeedWorker.Commands.FeedWorkerCommandLine.Build();

    // Compose substitutes ${POSTGRES_PASSWORD:?message} from .env; stand in a value to parse the rest
    private static string ResolvePassword(string value) => PasswordVariable().Replace(value, "from-env-file");

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"\$\{POSTGRES_PASSWORD(:\?[^}]*)?\}")]
    private static partial Regex PasswordVariable();

    [GeneratedRegex(@"(?m)^COPY .*$")]
    private static partial Regex CopyLine();

    [GeneratedRegex(@"(?m)^COPY (?<path>src/[^ ]+\.csproj) ")]
    private static partial Regex ProjectCopy();

    [GeneratedRegex(@"(?m)^RUN dotnet (?<verb>\w+) .*$")]
    private static partial Regex DotnetCommand();
}
