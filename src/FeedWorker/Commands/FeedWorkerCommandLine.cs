using System.CommandLine;

namespace FeedWorker.Commands;

/// <summary>The command tree: each subcommand lives in its own type.</summary>
internal static class FeedWorkerCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("FeedWorker: polls RSS, Atom and JSON feeds and stores clean, deduplicated articles in PostgreSQL.");
        root.Subcommands.Add(ParseCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(OnceCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(FeedsCommand.Create());
        root.Subcommands.Add(ExportOpmlCommand.Create());
        root.Subcommands.Add(PruneCommand.Create());
        root.SetAction((_, cancellationToken) => RunCommand.RunAsync(cancellationToken));
        return root;
    }
}
