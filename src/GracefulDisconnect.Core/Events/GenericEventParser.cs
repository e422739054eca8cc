using System.Text;

namespace GracefulDisconnect;

/// <summary>
/// Parses the generic event format, one JSON object:
/// <c>{"thing":"t1","connected":false,"at":"2026-01-01T00:00:00Z","version":3,"receivedAt":"..."}</c>
/// (<c>version</c> and <c>receivedAt</c> optional, other fields ignored).
/// </summary>
public static class GenericEventParser
{
    /// <summary>Parses one event.</summary>
    /// <param name="utf8Json">The UTF-8 JSON object.</param>
    /// <param name="names">Optional pool that de-duplicates thing name strings across events.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ConnectionEventFormatException">The payload is malformed; the message names the field.</exception>
    public static ConnectionEvent Parse(ReadOnlySpan<byte> utf8Json, ThingNamePool? names = null)
        => FlatEventReader.Parse(utf8Json, FlatEventFormat.Generic, names);

    /// <summary>The reader path alone (<see cref="System.Text.Json.Utf8JsonReader"/>, which reports what is wrong), for checking the fast path against.</summary>
    internal static ConnectionEvent ParseWithReader(ReadOnlySpan<byte> utf8Json) => FlatEventReader.ParseWithReader(utf8Json, FlatEventFormat.Generic, null);

    /// <summary>Parses one event.</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ConnectionEventFormatException">The payload is malformed; the message names the field.</exception>
    public static ConnectionEvent Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }
}
