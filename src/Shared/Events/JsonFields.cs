using System.Text.Json;

namespace GracefulDisconnect;

/// <summary>
/// Field readers shared by the event parsers: each reads the value the reader is positioned on and
/// throws <see cref="ConnectionEventFormatException"/> naming the field when it is not what is expected.
/// </summary>
internal static class JsonFields
{
    // A name of at most 128 characters never needs more than 6 UTF-8 bytes (a \uXXXX escape) per character.
    private const int MaxThingNameBytes = ThingName.MaxLength * 6;

    public static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 32 };

    public static void ReadStartObject(ref Utf8JsonReader reader, string? field)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ConnectionEventFormatException(field, "expected a JSON object");
        }
    }

    public static void ReadValue(ref Utf8JsonReader reader)
    {
        // The reader is built over the whole payload, so a value is always complete here.
        reader.Read();
    }

    public static void ExpectEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new ConnectionEventFormatException(null, "unexpected content after the JSON object");
        }
    }

    public static string ReadThingName(ref Utf8JsonReader reader, string field, ThingNamePool? pool)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new ConnectionEventFormatException(field, "expected a string");
        }

        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxThingNameBytes)
        {
            throw new ConnectionEventFormatException(field, $"must be at most {ThingName.MaxLength} characters");
        }

        // Sized to the value, not to the maximum: a stackalloc is zeroed, and 1.5 KB per line showed in replay profiles.
        // The raw (possibly escaped) UTF-8 value never has fewer bytes than the name has UTF-16 characters.
        Span<char> buffer = stackalloc char[(int)length];
        var written = CopyString(ref reader, buffer, field);
        var name = buffer[..written];
        if (!ThingName.IsValid(name, out var problem))
        {
            throw new ConnectionEventFormatException(field, problem!);
        }

        return pool is null ? name.ToString() : pool.Get(name);
    }

    public static bool ReadBoolean(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new ConnectionEventFormatException(field, "expected true or false"),
    };

    public static long? ReadOptionalInt64(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new ConnectionEventFormatException(field, "expected an integer");
        }

        return value;
    }

    public static long ReadIsoTimestamp(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new ConnectionEventFormatException(field, "expected an ISO-8601 timestamp string such as \"2026-01-01T00:00:00Z\"");
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            if (Iso8601.TryParse(reader.ValueSpan, out var ticks))
            {
                return ticks;
            }
        }
        else if (reader.ValueSpan.Length <= 256)
        {
            Span<byte> unescaped = stackalloc byte[256];
            var written = CopyString(ref reader, unescaped, field);
            if (Iso8601.TryParse(unescaped[..written], out var ticks))
            {
                return ticks;
            }
        }

        throw new ConnectionEventFormatException(field, "is not an ISO-8601 timestamp such as \"2026-01-01T00:00:00Z\"");
    }

    /// <summary>Reads an epoch timestamp in the given unit (ticks per unit) and returns UTC ticks.</summary>
    public static long ReadEpoch(ref Utf8JsonReader reader, string field, long ticksPerUnit, string unitName)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new ConnectionEventFormatException(field, $"expected an integer number of {unitName} since 1970-01-01");
        }

        var maxUnits = (DateTimeOffset.MaxValue.UtcTicks - DateTime.UnixEpoch.Ticks) / ticksPerUnit;
        if (value < 0 || value > maxUnits)
        {
            throw new ConnectionEventFormatException(field, $"{value} is out of range for {unitName} since 1970-01-01");
        }

        return DateTime.UnixEpoch.Ticks + (value * ticksPerUnit);
    }

    // The reader checks that a string is valid UTF-8 only when it is decoded, and then throws InvalidOperationException.
    private static int CopyString(ref Utf8JsonReader reader, scoped Span<char> destination, string field)
    {
        try
        {
            return reader.CopyString(destination);
        }
        catch (InvalidOperationException exception)
        {
            throw new ConnectionEventFormatException(field, "is not valid UTF-8", exception);
        }
    }

    private static int CopyString(ref Utf8JsonReader reader, scoped Span<byte> destination, string field)
    {
        try
        {
            return reader.CopyString(destination);
        }
        catch (InvalidOperationException exception)
        {
            throw new ConnectionEventFormatException(field, "is not valid UTF-8", exception);
        }
    }

    public static ConnectionEventFormatException Required(string field) => new(field, "is required");

    public static ConnectionEventFormatException InvalidJson(JsonException exception)
        => new(null, $"not valid JSON (byte {exception.BytePositionInLine ?? 0})", exception);

    /// <summary>A property name the reader cannot decode (an unpaired <c>\u</c> surrogate escape); values are checked where they are read.</summary>
    /// <param name="exception">What the reader threw.</param>
    public static ConnectionEventFormatException InvalidPropertyName(InvalidOperationException exception)
        => new(null, "a property name is not valid text (invalid UTF-8 or an unpaired \\u surrogate escape)", exception);

    public static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
}
