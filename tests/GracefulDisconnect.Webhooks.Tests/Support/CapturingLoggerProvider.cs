using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Webhooks.Tests.Support;

/// <summary>
/// Keeps every log line of every category and level with its event id and the whole exception (inner ones and stack
/// included), so a test can prove that no secret reached any of it.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, int EventId, string Message)> _entries = new();

    public IReadOnlyList<(string Category, LogLevel Level, int EventId, string Message)> Entries => [.. _entries];

    public string AllText() => string.Join("\n", _entries.Select(entry => $"{entry.Category} {entry.Level} {entry.EventId}: {entry.Message}"));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, int, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Structured state too: a sink that writes properties would write these.
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? " {" + string.Join(", ", pairs.Select(pair => $"{pair.Key}={pair.Value}")) + "}" : string.Empty;
            entries.Enqueue((category, logLevel, eventId.Id, formatter(state, exception) + properties + (exception is null ? string.Empty : " | " + exception)));
        }
    }
}
