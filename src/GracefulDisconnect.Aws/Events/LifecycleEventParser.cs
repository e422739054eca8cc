using System.Text;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Parses AWS IoT lifecycle events (<c>$aws/events/presence/connected/{clientId}</c> and
/// <c>.../disconnected/{clientId}</c>): <c>clientId</c>, <c>timestamp</c> (epoch milliseconds),
/// <c>eventType</c> (<c>connected</c> or <c>disconnected</c>), optional <c>versionNumber</c> and
/// <c>receivedAt</c> (ISO-8601, added by replays). Other fields are ignored.
/// </summary>
public static class LifecycleEventParser
{
    /// <summary>Parses one lifecycle event.</summary>
    /// <param name="utf8Json">The UTF-8 JSON object.</param>
    /// <param name="names">Optional pool that de-duplicates thing name strings across events.</param>
    /// <returns>The event; the client id is the thing name.</returns>
    /// <exception cref="ConnectionEventFormatException">The payload is malformed; the message names the field.</exception>
    public static ConnectionEvent Parse(ReadOnlySpan<byte> utf8Json, ThingNamePool? names = null)
        => FlatEventReader.Parse(utf8Json, Format, names);

    /// <summary>The reader path alone (<see cref="System.Text.Json.Utf8JsonReader"/>, which reports what is wrong), for checking the fast path against.</summary>
    internal static ConnectionEvent ParseWithReader(ReadOnlySpan<byte> utf8Json) => FlatEventReader.ParseWithReader(utf8Json, Format, null);

    /// <summary>Parses one lifecycle event.</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ConnectionEventFormatException">The payload is malformed; the message names the field.</exception>
    public static ConnectionEvent Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    internal static FlatEventFormat Format { get; } = new()
    {
        ThingField = "clientId",
        StateField = "eventType",
        StateIsEventType = true,
        TimeField = "timestamp",
        TimeKind = FlatEventTime.EpochMilliseconds,
        VersionField = "versionNumber",
    };
}
