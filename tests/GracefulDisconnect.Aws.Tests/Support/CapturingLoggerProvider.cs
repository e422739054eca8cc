using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Aws.Tests;

/// <summary>Keeps every log entry of every category and level as a console logger would print it: the message and the full exception.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    public string AllText() => string.Join("\n", _entries);

    /// <summary>Each entry as <c>Level Category[EventId] message</c>.</summary>
    public IReadOnlyList<string> Entries() => [.. _entries];

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => entries.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}{(exception is null ? string.Empty : "\n" + exception)}");
    }
}
