using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Cli.Tests.Support;

/// <summary>Keeps every log entry of every category, at every level, as the formatted message plus its exception.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

    public void Dispose()
    {
    }

    /// <summary>Everything written, as a console logger would print it: message and the exception's full text.</summary>
    public string AllText() => string.Join("\n", Entries.Select(entry => entry.ToString()));

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), exception));
    }
}

internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => Exception is null ? $"{Level} {Category}[{EventId.Id}] {Message}" : $"{Level} {Category}[{EventId.Id}] {Message}\n{Exception}";
}
