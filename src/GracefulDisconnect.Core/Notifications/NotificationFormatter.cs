using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect;

/// <summary>
/// Renders subject and message from the configured templates. Times are shown in the configured IANA
/// time zone and culture (the reference flow hard-coded Japan time; ours defaults to UTC).
/// </summary>
public sealed class NotificationFormatter
{
    private readonly CompositeFormat _subject;
    private readonly CompositeFormat _message;
    private readonly TimeZoneInfo _timeZone;
    private readonly CultureInfo _culture;
    private readonly string _timestampFormat;

    /// <summary>Creates a formatter from validated options.</summary>
    /// <param name="options">The options.</param>
    public NotificationFormatter(IOptions<GracefulDisconnectOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _subject = CompositeFormat.Parse(NotificationTemplate.ToCompositeFormat(value.SubjectTemplate));
        _message = CompositeFormat.Parse(NotificationTemplate.ToCompositeFormat(value.MessageTemplate));
        _timeZone = TimeZoneInfo.FindSystemTimeZoneById(value.TimeZone);
        _culture = CultureInfo.GetCultureInfo(value.Culture);
        _timestampFormat = value.TimestampFormat;
    }

    /// <summary>Creates the notification for an outage that outlasted its grace period.</summary>
    /// <param name="trigger">The disconnect that began the outage.</param>
    /// <param name="decidedAt">When the re-check decided.</param>
    /// <param name="gracePeriod">The grace period.</param>
    /// <returns>The notification.</returns>
    public DeviceNotification Create(in DisconnectTrigger trigger, DateTimeOffset decidedAt, TimeSpan gracePeriod)
    {
        var outageId = new OutageId(trigger).ToString();
        var offlineFor = decidedAt - trigger.DisconnectedAt;
        object?[] values =
        [
            trigger.ThingName,
            LocalTime(trigger.DisconnectedAt),
            DescribeDuration(offlineFor),
            DescribeDuration(gracePeriod),
            LocalTime(decidedAt),
            outageId,
        ];
        return new DeviceNotification(
            trigger.ThingName,
            trigger.DisconnectedAt,
            decidedAt,
            gracePeriod,
            outageId,
            string.Format(_culture, _subject, values),
            string.Format(_culture, _message, values));
    }

    private string LocalTime(DateTimeOffset value)
        => TimeZoneInfo.ConvertTime(value, _timeZone).ToString(_timestampFormat, _culture);

    // "2h 5m", "45s": short enough for a phone notification, exact to the second.
    private static string DescribeDuration(TimeSpan value)
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
