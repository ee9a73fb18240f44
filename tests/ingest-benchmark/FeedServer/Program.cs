using System.Globalization;
using FeedWorker.Benchmarks.FeedServer;

// The commands tests/ingest-benchmark/run.sh drives; see the usage text.
var options = BenchOptions.Parse(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "generate" => CorpusFiles.Generate(options),
    "change" => CorpusFiles.Change(options),
    "serve" => await FeedHttpServer.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
        usage: FeedServer generate --dir DIR [--feeds N] [--items M] [--seed S]
                 write every feed at revision 0 to DIR/feeds
               FeedServer change --dir DIR --round R [--fraction F] [--revision V] (same --feeds/--items/--seed)
                 rewrite the feeds picked for round R (a share F, default 0.1) at revision V (default 1)
               FeedServer serve --dir DIR [--ports P] --appsettings FILE
                 serve DIR/feeds on P ports of 127.0.0.1 (ETag, Last-Modified, 304), write the
                 FeedWorker configuration listing every feed URL to FILE, print the stats URL
        """));
    return 2;
}
