using System.Text;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Parses what the reference IoT rule sends to the queue:
/// <c>{"thingName":"t1","connected":false,"timestamp":1767225600}</c> (epoch <b>seconds</b>, the shadow
/// metadata timestamp), with optional <c>version</c> and <c>receivedAt</c>. Other fields are ignored.
/// </summary>
public static class IotRuleOutputParser
{
    /// <summary>Parses one rule output message.</summary>
    /// <param name="utf8Json">The UTF-8 JSON object.</param>
    /// <param name="names">Optional pool that de-duplicates thing name strings across events.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ConnectionEventFormatException">The payload is malformed; the message names the field.</exception>
    public static ConnectionEvent Parse(ReadOnlySpan<byte> utf8Json, ThingNamePool? names = null)
        => FlatEventReader.Parse(utf8Json, Format, names);

    /// <summary>The reader path alone (<see cref="System.Text.Json.Utf8JsonReader"/>, which reports what is wrong), for checking the fast path against.</summary>
    internal static ConnectionEvent ParseWithReader(ReadOnlySpan<byte> utf8Json) => FlatEventReader.ParseWithReader(utf8Json, Format, null);

    /// <summary>Parses one rule output message.</summary>
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
        ThingField = "thingName",
        StateField = "connected",
        TimeField = "timestamp",
        TimeKind = FlatEventTime.EpochSeconds,
        VersionField = "version",
    };
}
