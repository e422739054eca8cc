using System.Globalization;

namespace GracefulDisconnect.Cli;

/// <summary>
/// Durations in the tool's own text (the demo, the replay table) in the units its options take:
/// <c>1d</c>, <c>5m</c>, <c>250ms</c>, and <c>1m 30s</c> or <c>1d 2h 3m 4.5s</c> when no single unit fits.
/// JSON output keeps <see cref="DurationText.Format"/> (<c>00:05:00</c>): that is a contract for scripts.
/// </summary>
internal static class DurationDisplay
{
    private static readonly (long Ticks, string Suffix)[] Units =
    [
        (TimeSpan.TicksPerDay, "d"),
        (TimeSpan.TicksPerHour, "h"),
        (TimeSpan.TicksPerMinute, "m"),
        (TimeSpan.TicksPerSecond, "s"),
        (TimeSpan.TicksPerMillisecond, "ms"),
    ];

    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + Format(value.Duration());
        }

        // To the millisecond: delays are measured from millisecond timestamps, and rounding first makes
        // 4m 59.9996s read 5m rather than 4m 60s.
        var ticks = (long)Math.Round((decimal)value.Ticks / TimeSpan.TicksPerMillisecond, MidpointRounding.AwayFromZero) * TimeSpan.TicksPerMillisecond;
        if (ticks == 0)
        {
            return "0s";
        }

        // In the largest unit it reaches when that is exact (5m, 1d, 250ms), else in parts (1m 30s, 2d 3h).
        var (largest, suffix) = Units.First(unit => ticks >= unit.Ticks);
        return ticks % largest == 0
            ? (ticks / largest).ToString(CultureInfo.InvariantCulture) + suffix
            : Parts(TimeSpan.FromTicks(ticks));
    }

    private static string Parts(TimeSpan value)
    {
        var parts = new List<string>(4);
        if (value.Days != 0)
        {
            parts.Add(value.Days.ToString(CultureInfo.InvariantCulture) + "d");
        }

        if (value.Hours != 0)
        {
            parts.Add(value.Hours.ToString(CultureInfo.InvariantCulture) + "h");
        }

        if (value.Minutes != 0)
        {
            parts.Add(value.Minutes.ToString(CultureInfo.InvariantCulture) + "m");
        }

        var seconds = (decimal)(value.Ticks % TimeSpan.TicksPerMinute) / TimeSpan.TicksPerSecond;
        if (seconds != 0 || parts.Count == 0)
        {
            parts.Add(seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s");
        }

        return string.Join(' ', parts);
    }
}
