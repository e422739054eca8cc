using System.Globalization;
using System.Text;

namespace GracefulDisconnect;

/// <summary>
/// Durations as people write them on a command line or in an environment variable:
/// <c>90s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, <c>250ms</c>, or a <see cref="TimeSpan"/> such as <c>00:05:00</c>.
/// </summary>
public static class DurationText
{
    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="FormatException">The text is not a duration; the message shows the accepted forms.</exception>
    public static TimeSpan Parse(string text)
        => TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a duration; use for example 90s, 5m, 2h, 1d or hh:mm:ss.");

    /// <summary>Tries to parse a duration.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration, when the text is one.</param>
    /// <returns>Whether the text is a duration.</returns>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            return false;
        }

        if (s.Contains(':'))
        {
            if (TimeSpan.TryParseExact(s, "c", CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero)
            {
                return true;
            }

            value = default;
            return false;
        }

        var (unitLength, unitTicks) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (2, TimeSpan.TicksPerMillisecond),
            _ when s.EndsWith('s') || s.EndsWith('S') => (1, TimeSpan.TicksPerSecond),
            _ when s.EndsWith('m') || s.EndsWith('M') => (1, TimeSpan.TicksPerMinute),
            _ when s.EndsWith('h') || s.EndsWith('H') => (1, TimeSpan.TicksPerHour),
            _ when s.EndsWith('d') || s.EndsWith('D') => (1, TimeSpan.TicksPerDay),
            _ => (0, 0L),
        };

        // A huge amount would overflow the decimal product (which throws) before the range check below refuses it.
        if (unitLength == 0
            || !decimal.TryParse(s[..^unitLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount > decimal.MaxValue / unitTicks)
        {
            return false;
        }

        var ticks = amount * unitTicks;
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>Formats a duration the way <see cref="Parse"/> reads it back (<c>[d.]hh:mm:ss[.fffffff]</c>).</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>A duration as a person reads it in a message, exact to the second: <c>2h 5m</c>, <c>1d 3h 0m 7s</c> is <c>1d 3h 7s</c>, <c>45s</c>.</summary>
    /// <param name="value">The duration; a negative one reads as <c>0s</c>.</param>
    /// <returns>The text.</returns>
    public static string Describe(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            value = TimeSpan.Zero;
        }

        var builder = new StringBuilder();
        if (value.Days > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{value.Days}d ");
        }

        if (value.Hours > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{value.Hours}h ");
        }

        if (value.Minutes > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m ");
        }

        if (value.Seconds > 0 || builder.Length == 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{value.Seconds}s ");
        }

        return builder.ToString(0, builder.Length - 1);
    }
}
