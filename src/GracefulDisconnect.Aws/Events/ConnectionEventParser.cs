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
            switch (Identify(member.Name(utf8Json), out var format))
            {
                case Identity.Format:
                    return format;
                case Identity.ShadowDocument:
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
            Span<byte> unescaped = stackalloc byte[64];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var unescapedLength = reader.ValueIsEscaped ? Unescape(ref reader, unescaped) : 0;
                var name = !reader.ValueIsEscaped ? reader.ValueSpan : unescaped[..unescapedLength];
                switch (Identify(name, out var format))
                {
                    case Identity.Format:
                        return format!;
                    case Identity.ShadowDocument:
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

    // An escaped name is compared unescaped, as ValueTextEquals would; ours are short, so longer or invalid ones match none.
    private static int Unescape(ref Utf8JsonReader reader, scoped Span<byte> buffer)
    {
        if (reader.ValueSpan.Length > buffer.Length)
        {
            return 0;
        }

        try
        {
            return reader.CopyString(buffer);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    // The one set of rules both detectors follow: which field names identify which format.
    private static Identity Identify(ReadOnlySpan<byte> name, out FlatEventFormat? format)
    {
        format = name.SequenceEqual("thing"u8) ? FlatEventFormat.Generic
            : name.SequenceEqual("clientId"u8) || name.SequenceEqual("eventType"u8) ? LifecycleEventParser.Format
            : name.SequenceEqual("thingName"u8) ? IotRuleOutputParser.Format
            : null;
        if (format is not null)
        {
            return Identity.Format;
        }

        return name.SequenceEqual("current"u8) || name.SequenceEqual("previous"u8) ? Identity.ShadowDocument : Identity.None;
    }

    private enum Identity
    {
        None,
        Format,
        ShadowDocument,
    }
}
