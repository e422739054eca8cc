using System.Globalization;
using System.Text;

namespace GracefulDisconnect;

/// <summary>
/// ISO-8601 timestamps from UTF-8 bytes. The common shape (<c>2026-01-01T00:00:00.123Z</c>, or with an
/// offset) is parsed by hand because replays parse millions of them; anything else falls back to
/// <see cref="DateTimeOffset.TryParse(ReadOnlySpan{char}, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>.
/// A timestamp without an offset is taken as UTC.
/// </summary>
internal static class Iso8601
{
    private const int MaxFallbackLength = 64;

    public static bool TryParse(ReadOnlySpan<byte> text, out long utcTicks)
        => TryParseCommon(text, out utcTicks) || TryParseFallback(text, out utcTicks);

    private static bool TryParseCommon(ReadOnlySpan<byte> s, out long utcTicks)
    {
        utcTicks = 0;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] | 0x20) != 't' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
            || !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute) || !TryDigits(s, 17, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long fractionTicks = 0;
        var i = 19;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var start = i;
            long scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                if (scale > 1)
                {
                    scale /= 10;
                    fractionTicks += (s[i] - '0') * scale;
                }

                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        long offsetTicks = 0;
        if (i < s.Length)
        {
            if ((s[i] | 0x20) == 'z' && i + 1 == s.Length)
            {
                i++;
            }
            else if ((s[i] == '+' || s[i] == '-') && i + 6 == s.Length && s[i + 3] == ':'
                && TryDigits(s, i + 1, 2, out var offsetHours) && TryDigits(s, i + 4, 2, out var offsetMinutes)
                && offsetHours <= 14 && offsetMinutes <= 59)
            {
                offsetTicks = ((offsetHours * 60) + offsetMinutes) * TimeSpan.TicksPerMinute * (s[i] == '-' ? -1 : 1);
                i += 6;
            }
            else
            {
                return false;
            }
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        utcTicks = local - offsetTicks;
        return utcTicks >= DateTimeOffset.MinValue.UtcTicks && utcTicks <= DateTimeOffset.MaxValue.UtcTicks;
    }

    private static bool TryParseFallback(ReadOnlySpan<byte> text, out long utcTicks)
    {
        utcTicks = 0;
        if (text.IsEmpty || text.Length > MaxFallbackLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[MaxFallbackLength];
        if (!Encoding.UTF8.TryGetChars(text, chars, out var written)
            || !DateTimeOffset.TryParse(chars[..written], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        utcTicks = parsed.UtcTicks;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = (uint)(s[i] - '0');
            if (digit > 9)
            {
                return false;
            }

            value = (value * 10) + (int)digit;
        }

        return true;
    }
}
