using System.Globalization;

namespace GracefulDisconnect.Webhooks;

/// <summary>A duration as a person reads it in a chat message: the two largest units, such as <c>2h 5m</c> or <c>1d 3h</c>.</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            value = value.Negate();
        }

        Span<(long Amount, string Unit)> parts =
        [
            ((long)value.TotalDays, "d"),
            (value.Hours, "h"),
            (value.Minutes, "m"),
            (value.Seconds, "s"),
        ];
        var first = 0;
        while (first < parts.Length - 1 && parts[first].Amount == 0)
        {
            first++;
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"{parts[first].Amount}{parts[first].Unit}");
        return first + 1 < parts.Length && parts[first + 1].Amount != 0
            ? string.Create(CultureInfo.InvariantCulture, $"{text} {parts[first + 1].Amount}{parts[first + 1].Unit}")
            : text;
    }
}
