using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pottery.Runtime.Tests.Telemetry;

/// <summary>One log event.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> State);

/// <summary>An in-memory <see cref="ILoggerFactory"/>: every logger writes to <see cref="Entries"/>, at every level.</summary>
public sealed class TestLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(TestLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            factory.Entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception, [.. properties]));
        }
    }
}
