using System.Collections.Concurrent;
using FeedWorker.Ingestion.Fetching;
using FeedWorker.Ingestion.FullContent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedWorker.Ingestion.Tests.Fetching;

/// <summary>The production registration (AddFeedIngestion) with test settings, and the log records it wrote.</summary>
public sealed class FetcherHost : IDisposable
{
    private readonly ServiceProvider _services;

    public FetcherHost(IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new RecordingLoggerProvider(Logs)).SetMinimumLevel(LogLevel.Trace));
        services.AddFeedIngestion(configuration);
        _services = services.BuildServiceProvider();
    }

    public ConcurrentQueue<LogRecord> Logs { get; } = new();

    public FeedFetcher Fetcher => _services.GetRequiredService<FeedFetcher>();

    public FullContentExtractor Extractor => _services.GetRequiredService<FullContentExtractor>();

    public ArticlePages Pages => _services.GetRequiredService<ArticlePages>();

    public void Dispose() => _services.Dispose();

    public sealed record LogRecord(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties);

    private sealed class RecordingLoggerProvider(ConcurrentQueue<LogRecord> records) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, records);

        public void Dispose()
        {
        }
    }

    private sealed class RecordingLogger(string category, ConcurrentQueue<LogRecord> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : new Dictionary<string, object?>();
            records.Enqueue(new LogRecord(category, logLevel, formatter(state, exception), properties));
        }
    }
}
