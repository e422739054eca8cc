using System.Text.Json;

namespace GracefulDisconnect;

/// <summary>
/// Reads one flat JSON event object, skipping unknown fields: plain payloads through
/// <see cref="FlatJsonScanner"/>, anything else in a single <see cref="Utf8JsonReader"/> pass. Every problem
/// surfaces as <see cref="ConnectionEventFormatException"/> naming the field.
/// </summary>
internal static class FlatEventReader
{
    private static readonly byte[] ReceivedAtUtf8 = "receivedAt"u8.ToArray();

    public static ConnectionEvent Parse(ReadOnlySpan<byte> utf8Json, FlatEventFormat format, ThingNamePool? names)
    {
        Span<FlatMember> members = stackalloc FlatMember[FlatJsonScanner.MaxMembers];
        return FlatJsonScanner.TryScan(utf8Json, members, out var count) && TryRead(utf8Json, members[..count], format, names, out var parsed)
            ? parsed
            : ParseWithReader(utf8Json, format, names);
    }

    /// <summary>
    /// The fast path over members split by <see cref="FlatJsonScanner"/>: succeeds only where the reader path
    /// would succeed with the same event, and otherwise returns <see langword="false"/> (never throws) so that the
    /// reader path can produce the result or the error. A duplicated known field also goes to the reader path.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8Json, ReadOnlySpan<FlatMember> members, FlatEventFormat format, ThingNamePool? names, out ConnectionEvent parsed)
    {
        parsed = default;
        string? thing = null;
        bool? connected = null;
        long? at = null;
        long? version = null;
        long? receivedAt = null;
        var sawVersion = false;
        foreach (var member in members)
        {
            var name = member.Name(utf8Json);
            var value = member.Value(utf8Json);
            if (name.SequenceEqual(format.ThingUtf8))
            {
                if (thing is not null || member.Kind != FlatValueKind.String || !TryPlainThingName(value, names, out thing))
                {
                    return false;
                }
            }
            else if (name.SequenceEqual(format.StateUtf8))
            {
                if (connected is not null || !TryState(value, member.Kind, format, out var state))
                {
                    return false;
                }

                connected = state;
            }
            else if (name.SequenceEqual(format.TimeUtf8))
            {
                if (at is not null || !TryTime(value, member.Kind, format.TimeKind, out var ticks))
                {
                    return false;
                }

                at = ticks;
            }
            else if (name.SequenceEqual(format.VersionUtf8))
            {
                if (sawVersion || member.Kind is not (FlatValueKind.Number or FlatValueKind.Null))
                {
                    return false;
                }

                sawVersion = true;
                if (member.Kind == FlatValueKind.Number)
                {
                    if (!TryInt64(value, out var number))
                    {
                        return false;
                    }

                    version = number;
                }
            }
            else if (name.SequenceEqual(ReceivedAtUtf8))
            {
                if (receivedAt is not null || member.Kind != FlatValueKind.String || !Iso8601.TryParse(value, out var ticks))
                {
                    return false;
                }

                receivedAt = ticks;
            }
        }

        if (thing is null || connected is not { } isConnected || at is not { } atTicks)
        {
            return false;
        }

        parsed = new ConnectionEvent(thing, isConnected, JsonFields.Utc(atTicks), version, receivedAt is { } received ? JsonFields.Utc(received) : null);
        return true;
    }

    /// <summary>The reader path: handles any JSON and reports what is wrong.</summary>
    public static ConnectionEvent ParseWithReader(ReadOnlySpan<byte> utf8Json, FlatEventFormat format, ThingNamePool? names)
    {
        var reader = new Utf8JsonReader(utf8Json, JsonFields.ReaderOptions);
        try
        {
            return Read(ref reader, format, names);
        }
        catch (JsonException exception)
        {
            throw JsonFields.InvalidJson(exception);
        }
        catch (InvalidOperationException exception)
        {
            // Property names are unescaped when compared; an unpaired surrogate escape there lands here.
            throw JsonFields.InvalidPropertyName(exception);
        }
    }

    private static ConnectionEvent Read(ref Utf8JsonReader reader, FlatEventFormat format, ThingNamePool? names)
    {
        JsonFields.ReadStartObject(ref reader, null);
        string? thing = null;
        bool? connected = null;
        long? at = null;
        long? version = null;
        long? receivedAt = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(format.ThingUtf8))
            {
                JsonFields.ReadValue(ref reader);
                thing = JsonFields.ReadThingName(ref reader, format.ThingField, names);
            }
            else if (reader.ValueTextEquals(format.StateUtf8))
            {
                JsonFields.ReadValue(ref reader);
                connected = format.StateIsEventType
                    ? ReadEventType(ref reader, format.StateField)
                    : JsonFields.ReadBoolean(ref reader, format.StateField);
            }
            else if (reader.ValueTextEquals(format.TimeUtf8))
            {
                JsonFields.ReadValue(ref reader);
                at = format.TimeKind switch
                {
                    FlatEventTime.EpochMilliseconds => JsonFields.ReadEpoch(ref reader, format.TimeField, TimeSpan.TicksPerMillisecond, "milliseconds"),
                    FlatEventTime.EpochSeconds => JsonFields.ReadEpoch(ref reader, format.TimeField, TimeSpan.TicksPerSecond, "seconds"),
                    _ => JsonFields.ReadIsoTimestamp(ref reader, format.TimeField),
                };
            }
            else if (reader.ValueTextEquals(format.VersionUtf8))
            {
                JsonFields.ReadValue(ref reader);
                version = JsonFields.ReadOptionalInt64(ref reader, format.VersionField);
            }
            else if (reader.ValueTextEquals(ReceivedAtUtf8))
            {
                JsonFields.ReadValue(ref reader);
                receivedAt = JsonFields.ReadIsoTimestamp(ref reader, "receivedAt");
            }
            else
            {
                JsonFields.ReadValue(ref reader);
                reader.Skip();
            }
        }

        JsonFields.ExpectEnd(ref reader);
        return new ConnectionEvent(
            thing ?? throw JsonFields.Required(format.ThingField),
            connected ?? throw JsonFields.Required(format.StateField),
            JsonFields.Utc(at ?? throw JsonFields.Required(format.TimeField)),
            version,
            receivedAt is { } received ? JsonFields.Utc(received) : null);
    }

    // The scanner let through only printable ASCII without escapes, so the bytes are the characters and the
    // name is valid when its length is: the checks of JsonFields.ReadThingName and ThingName.IsValid that remain.
    private static bool TryPlainThingName(ReadOnlySpan<byte> value, ThingNamePool? names, out string? thing)
    {
        thing = null;
        if (value.IsEmpty || value.Length > ThingName.MaxLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            chars[i] = (char)value[i];
        }

        thing = names is null ? chars.ToString() : names.Get(chars);
        return true;
    }

    private static bool TryState(ReadOnlySpan<byte> value, FlatValueKind kind, FlatEventFormat format, out bool connected)
    {
        connected = kind == FlatValueKind.True;
        if (!format.StateIsEventType)
        {
            return kind is FlatValueKind.True or FlatValueKind.False;
        }

        connected = value.SequenceEqual("connected"u8);
        return kind == FlatValueKind.String && (connected || value.SequenceEqual("disconnected"u8));
    }

    private static bool TryTime(ReadOnlySpan<byte> value, FlatValueKind kind, FlatEventTime timeKind, out long ticks)
    {
        ticks = 0;
        if (timeKind == FlatEventTime.Iso8601)
        {
            return kind == FlatValueKind.String && Iso8601.TryParse(value, out ticks);
        }

        var ticksPerUnit = timeKind == FlatEventTime.EpochMilliseconds ? TimeSpan.TicksPerMillisecond : TimeSpan.TicksPerSecond;
        if (kind != FlatValueKind.Number || !TryInt64(value, out var units)
            || units < 0 || units > (DateTimeOffset.MaxValue.UtcTicks - DateTime.UnixEpoch.Ticks) / ticksPerUnit)
        {
            return false;
        }

        ticks = DateTime.UnixEpoch.Ticks + (units * ticksPerUnit);
        return true;
    }

    private static bool TryInt64(ReadOnlySpan<byte> value, out long number)
        => System.Buffers.Text.Utf8Parser.TryParse(value, out number, out var consumed) && consumed == value.Length;

    private static bool ReadEventType(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("disconnected"u8))
            {
                return false;
            }

            if (reader.ValueTextEquals("connected"u8))
            {
                return true;
            }
        }

        throw new ConnectionEventFormatException(field, "expected \"connected\" or \"disconnected\"");
    }
}
