using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GracefulDisconnect.Webhooks;

/// <summary>Writes a JSON payload to UTF-8 bytes, non-ASCII text (Japanese, emoji) as it is rather than as <c>\uXXXX</c>.</summary>
internal static class JsonPayload
{
    // Bodies go to HTTP endpoints, never into HTML, so HTML-sensitive characters need no escaping; JSON's own rules still apply.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An instant as ISO-8601 UTC with milliseconds and <c>Z</c>, as everywhere in GracefulDisconnect's output.</summary>
    public static string Instant(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A duration as <c>[d.]hh:mm:ss[.fffffff]</c> (the invariant "c" format), as in replay output.</summary>
    public static string Duration(TimeSpan value) => value.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
