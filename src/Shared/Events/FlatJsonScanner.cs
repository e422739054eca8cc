namespace GracefulDisconnect;

/// <summary>
/// The fast path of the flat event parsers: splits a one-level JSON object whose members are plain
/// (ASCII strings without escapes, integers, <c>true</c>/<c>false</c>/<c>null</c>) into spans, in one
/// forward pass. It gives up on anything else — escapes, non-ASCII or control bytes, fractions, exponents,
/// nesting, comments, trailing commas, more than <see cref="MaxMembers"/> members, malformed JSON — and the
/// caller then parses with <see cref="System.Text.Json.Utf8JsonReader"/> as before, so every result and every
/// error message stays the reader path's. Replays parse millions of lines; the reader's per-token
/// generality was most of their cost.
/// </summary>
internal static class FlatJsonScanner
{
    public const int MaxMembers = 16;

    /// <summary>Splits <paramref name="json"/> into <paramref name="members"/>; <see langword="false"/> when the fast path does not apply.</summary>
    public static bool TryScan(ReadOnlySpan<byte> json, Span<FlatMember> members, out int count)
    {
        count = 0;
        var i = SkipWhitespace(json, 0);
        if (i >= json.Length || json[i] != '{')
        {
            return false;
        }

        i = SkipWhitespace(json, i + 1);
        while (count < members.Length && i < json.Length && json[i] == '"')
        {
            var nameStart = i + 1;
            var nameEnd = EndOfPlainString(json, nameStart);
            if (nameEnd < 0)
            {
                return false;
            }

            i = SkipWhitespace(json, nameEnd + 1);
            if (i >= json.Length || json[i] != ':')
            {
                return false;
            }

            i = SkipWhitespace(json, i + 1);
            if (i >= json.Length)
            {
                return false;
            }

            if (json[i] == '"')
            {
                var valueEnd = EndOfPlainString(json, i + 1);
                if (valueEnd < 0)
                {
                    return false;
                }

                members[count++] = new FlatMember(nameStart, nameEnd - nameStart, i + 1, valueEnd - i - 1, FlatValueKind.String);
                i = valueEnd + 1;
            }
            else
            {
                var (end, kind) = json[i] switch
                {
                    (byte)'t' => (Literal(json, i, "true"u8), FlatValueKind.True),
                    (byte)'f' => (Literal(json, i, "false"u8), FlatValueKind.False),
                    (byte)'n' => (Literal(json, i, "null"u8), FlatValueKind.Null),
                    _ => (Integer(json, i), FlatValueKind.Number),
                };
                if (end < 0)
                {
                    return false;
                }

                members[count++] = new FlatMember(nameStart, nameEnd - nameStart, i, end - i, kind);
                i = end;
            }

            // What follows a value must be a separator: "12a", "truex" or "1.5" end the fast path here.
            i = SkipWhitespace(json, i);
            if (i >= json.Length)
            {
                return false;
            }

            if (json[i] == '}')
            {
                return SkipWhitespace(json, i + 1) == json.Length;
            }

            if (json[i] != ',')
            {
                return false;
            }

            i = SkipWhitespace(json, i + 1);
        }

        // An empty object, too many members, a trailing comma, or something that is not a member name.
        return false;
    }

    // The index of the closing quote, or -1 when the string holds an escape, a control or non-ASCII byte, or does not end.
    // A plain loop: names and values are a few dozen bytes, too short for a vectorised search to pay for its set-up.
    private static int EndOfPlainString(ReadOnlySpan<byte> json, int start)
    {
        for (var i = start; i < json.Length; i++)
        {
            var b = json[i];
            if (b == '"')
            {
                return i;
            }

            // Printable ASCII is 0x20..0x7E; DEL is legal JSON but a control character in a thing name: the reader path decides.
            if ((uint)(b - 0x20) > 0x7E - 0x20 || b == '\\')
            {
                return -1;
            }
        }

        return -1;
    }

    private static int Literal(ReadOnlySpan<byte> json, int start, ReadOnlySpan<byte> literal)
        => json[start..].StartsWith(literal) ? start + literal.Length : -1;

    // JSON's integer grammar, -?(0|[1-9][0-9]*); a fraction or exponent is left to the reader by the separator check.
    private static int Integer(ReadOnlySpan<byte> json, int start)
    {
        var i = start;
        if (i < json.Length && json[i] == '-')
        {
            i++;
        }

        if (i >= json.Length || !char.IsAsciiDigit((char)json[i]))
        {
            return -1;
        }

        if (json[i++] == '0')
        {
            return i;
        }

        while (i < json.Length && char.IsAsciiDigit((char)json[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }
}

/// <summary>What a plain JSON value is.</summary>
internal enum FlatValueKind : byte
{
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>One member of a flat JSON object: where its name and value are in the payload (a string's span excludes the quotes).</summary>
internal readonly record struct FlatMember(int NameStart, int NameLength, int ValueStart, int ValueLength, FlatValueKind Kind)
{
    public ReadOnlySpan<byte> Name(ReadOnlySpan<byte> json) => json.Slice(NameStart, NameLength);

    public ReadOnlySpan<byte> Value(ReadOnlySpan<byte> json) => json.Slice(ValueStart, ValueLength);
}
