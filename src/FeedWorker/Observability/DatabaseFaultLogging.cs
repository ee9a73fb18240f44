using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace FeedWorker.Observability;

/// <summary>
/// Quartz logs every failed round-trip of its job store with the whole exception, and its messages
/// embed the inner exception's stack trace too: while PostgreSQL is down or saturated that is dozens
/// of stack-trace lines per retry. For those expected, transient faults its entries keep one line:
/// what failed and why. Every other entry passes through untouched.
/// </summary>
internal static class DatabaseFaultLogging
{
    private const string QuartzCategory = "Quartz";

    /// <summary>Decorates the host's logger factory; call after logging is configured.</summary>
    public static IServiceCollection AddOneLineDatabaseFaultsForQuartz(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory));
        if (registered?.ImplementationType is not { } factoryType)
        {
            return services;
        }
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp =>
            new OneLineFaultsLoggerFactory((ILoggerFactory)ActivatorUtilities.CreateInstance(sp, factoryType))));
        return services;
    }

    private sealed class OneLineFaultsLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName)
        {
            var logger = inner.CreateLogger(categoryName);
            return categoryName.StartsWith(QuartzCategory, StringComparison.Ordinal) ? new OneLineFaultsLogger(logger) : logger;
        }

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        // created here, not by the container: disposed here
        public void Dispose() => inner.Dispose();
    }

    private sealed class OneLineFaultsLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || !StorageUnavailableException.IsCausedByUnavailable(exception))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            inner.Log(logLevel, eventId, state, null, (s, _) => OneLine(formatter(s, exception), exception));
        }

        private static string OneLine(string message, Exception exception)
        {
            var line = StorageUnavailableException.FirstLine(message);
            var cause = StorageUnavailableException.Describe(exception);
            return line.Contains(cause, StringComparison.Ordinal) ? line : $"{line}: {cause}";
        }
    }
}
