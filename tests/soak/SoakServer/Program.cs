using FeedWorker.Soak.Server;

// Started by tests/soak/run.sh; see SoakOptions for the options and SoakHttpServer for the control API.
if (args.FirstOrDefault() != "serve")
{
    Console.Error.WriteLine("""
        usage: SoakServer serve --out DIR [--appsettings FILE] [--feeds 1000] [--window 25] [--backlog 20] [--seed S]
                 [--ports P] [--interval 1m] [--fault-rate 0.1] [--stall-seconds 15]
                 [--publish-min-seconds 60] [--publish-max-seconds 240] [--shared 0.15]
        """);
    return 2;
}
return await SoakHttpServer.RunAsync(SoakOptions.Parse(args[1..]));
