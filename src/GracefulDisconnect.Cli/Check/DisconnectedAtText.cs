using System.Globalization;

namespace GracefulDisconnect.Cli.Check;

/// <summary>
/// Reads <c>--disconnected-at</c>: ISO-8601 (UTC unless an offset is given) or epoch seconds or milliseconds.
/// A number of 12 digits or more is taken as milliseconds: in seconds it would be past the year 5000.
/// </summary>
internal static class DisconnectedAtText
{
    private const long MillisecondsThreshold = 100_000_000_000;

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var trimmed = text.Trim();
        if (trimmed.Length > 0 && trimmed.All(char.IsAsciiDigit))
        {
            if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return false;
            }

            value = number >= MillisecondsThreshold ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.FromUnixTimeSeconds(number);
            return true;
        }

        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }
}
