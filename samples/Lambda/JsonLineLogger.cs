using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Samples.Lambda;

/// <summary>
/// Writes each log entry as one JSON line, synchronously: Lambda freezes the process as soon as the handler
/// returns, so a logger that writes from a background queue (the console logger) can lose or delay the
/// last lines of an invocation. CloudWatch Logs Insights reads the fields directly
/// (<c>filter level = "Error" | fields messageId</c>). Levels are filtered by the logger factory.
/// </summary>
internal sealed class JsonLineLoggerProvider(TextWriter output) : ILoggerProvider
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new JsonLineLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow);
            json.WriteString("level", level.ToString());
            json.WriteString("category", category);
            if (eventId.Id != 0)
            {
                json.WriteNumber("eventId", eventId.Id);
            }

            json.WriteString("message", formatter(state, exception));
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                foreach (var (name, value) in fields)
                {
                    if (name != "{OriginalFormat}" && value is not null)
                    {
                        WriteField(json, char.ToLowerInvariant(name[0]) + name[1..], value);
                    }
                }
            }

            if (exception is not null)
            {
                json.WriteString("errorType", exception.GetType().FullName);
                json.WriteString("error", exception.ToString());
            }

            json.WriteEndObject();
        }

        var line = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static void WriteField(Utf8JsonWriter json, string name, object value)
    {
        switch (value)
        {
            case int or long:
                json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case bool flag:
                json.WriteBoolean(name, flag);
                break;
            case DateTimeOffset time:
                json.WriteString(name, time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                break;
            case TimeSpan span:
                json.WriteString(name, span.ToString("c", CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private sealed class JsonLineLogger(JsonLineLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
