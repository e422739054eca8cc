using System.Text;
using System.Text.Json;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Parses a connection event in any of the line formats, detected per line from its identifying field:
/// <c>thing</c> (generic, <see cref="GenericEventParser"/>), <c>clientId</c> (AWS lifecycle event,
/// <see cref="LifecycleEventParser"/>) or <c>thingName</c> (the IoT rule output, <see cref="IotRuleOutputParser"/>).
/// </summary>
public static class ConnectionEventParser
{
    /// <summary>Parses one event, whatever its format.</summary>
    /// <param name="utf8Json">The UTF-8 JSON object.</param>
    /// <param name="names">Optional pool that de-duplicates thing name strings across events.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ConnectionEventFormatException">The payload is malformed or of no known format; the message names the field.</exception>
    public static ConnectionEvent Parse(ReadOnlySpan<byte> utf8Json, ThingNamePool? names = null)
    {
        // One scan serves detection and parsing; anything the fast path does not take goes to the reader path.
        Span<FlatMember> members = stackalloc FlatMember[FlatJsonScanner.MaxMembers];
        if (FlatJsonScanner.TryScan(utf8Json, members, out var count)
            && Detect(utf8Json, members[..count]) is { } format
            && FlatEventReader.TryRead(utf8Json, members[..count], format, names, out var parsed))
        {
            return parsed;
        }

        return ParseWithReader(utf8Json, names);
    }

    /// <summary>The reader path alone (detection and parsing with <see cref="Utf8JsonReader"/>), which reports what is wrong.</summary>
    internal static ConnectionEvent ParseWithReader(ReadOnlySpan<byte> utf8Json, ThingNamePool? names = null)
        => FlatEventReader.ParseWithReader(utf8Json, Detect(utf8Json), names);

    /// <summary>Parses one event, whatever its format.</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ConnectionEventFormatException">The payload is malformed or of no known format.</exception>
    public static ConnectionEvent Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    // Detection over scanned members, by the same rules in the same order as the reader's; null (reader path) when
    // no identifying field is there or a shadow document's is, so that the reader path reports it.
    private static FlatEventFormat? Detect(ReadOnlySpan<byte> utf8Json, ReadOnlySpan<FlatMember> members)
    {
        foreach (var member in members)
        {
            var name = member.Name(utf8Json);
            if (name.SequenceEqual("thing"u8))
            {
                return FlatEventFormat.Generic;
            }

            if (name.SequenceEqual("clientId"u8) || name.SequenceEqual("eventType"u8))
            {
                return LifecycleEventParser.Format;
            }

            if (name.SequenceEqual("thingName"u8))
            {
                return IotRuleOutputParser.Format;
            }

            if (name.SequenceEqual("current"u8) || name.SequenceEqual("previous"u8))
            {
                return null;
            }
        }

        return null;
    }

    // The identifying field is usually first, so detection reads a token or two, not the whole line.
    private static FlatEventFormat Detect(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, JsonFields.ReaderOptions);
        try
        {
            JsonFields.ReadStartObject(ref reader, null);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("thing"u8))
                {
                    return FlatEventFormat.Generic;
                }

                if (reader.ValueTextEquals("clientId"u8) || reader.ValueTextEquals("eventType"u8))
                {
                    return LifecycleEventParser.Format;
                }

                if (reader.ValueTextEquals("thingName"u8))
                {
                    return IotRuleOutputParser.Format;
                }

                if (reader.ValueTextEquals("current"u8) || reader.ValueTextEquals("previous"u8))
                {
                    throw new ConnectionEventFormatException(null, "a shadow update document carries no thing name; parse it with ShadowUpdateDocumentsParser and the thing name from its topic");
                }

                JsonFields.ReadValue(ref reader);
                reader.Skip();
            }
        }
        catch (JsonException exception)
        {
            throw JsonFields.InvalidJson(exception);
        }

        throw new ConnectionEventFormatException(null, "unknown event format: expected a 'thing' (generic), 'clientId' (AWS lifecycle event) or 'thingName' (IoT rule output) field");
    }
}
