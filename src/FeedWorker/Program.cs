using System.CommandLine;
using FeedWorker.Commands;

// Signals are left to the generic host (run), which drains in-flight fetches within its shutdown
// timeout; System.CommandLine's own handler would end the process after two seconds.
return await FeedWorkerCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
