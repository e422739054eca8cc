using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Email.Tests.Support;

/// <summary>
/// Keeps every log line of every category with the whole exception, inner exceptions and stack included, as a
/// console or file logger would write it: what a secret must not be found in.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Category, string Text)> _entries = new();

    public IReadOnlyList<(LogLevel Level, int EventId, string Category, string Text)> Entries => [.. _entries];

    public string AllText() => string.Join("\n", _entries.Select(entry => $"{entry.Level} {entry.EventId} {entry.Category}: {entry.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(_entries, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, int, string, string)> entries, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => entries.Enqueue((logLevel, eventId.Id, category, formatter(state, exception) + (exception is null ? string.Empty : "\n" + exception)));
    }
}
