using FeedWorker.Commands;

return await FeedWorkerCommandLine.Build().Parse(args).InvokeAsync();
