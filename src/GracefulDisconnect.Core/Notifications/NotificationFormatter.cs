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
    private readonly CompositeFormat[] _subjects;
    private readonly CompositeFormat[] _messages;
    private readonly CompositeFormat _digestMore;
    private readonly CompositeFormat _silentSubject;
    private readonly CompositeFormat _silentMessage;
    private readonly string _digestSeparator;
    private readonly int _digestListed;
    private readonly TimeZoneInfo _timeZone;
    private readonly CultureInfo _culture;
    private readonly string _timestampFormat;

    // False for replay, which reads only the facts of a notification: rendering its text is most of its cost.
    private readonly bool _rendersText = true;

    /// <summary>Creates a formatter from validated options.</summary>
    /// <param name="options">The options.</param>
    public NotificationFormatter(IOptions<GracefulDisconnectOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _subjects =
        [
            Parse(value.Templates.Subject, NotificationKind.Offline),
            Parse(value.Templates.RecoveredSubject, NotificationKind.Recovered),
            Parse(value.Templates.ReminderSubject, NotificationKind.Reminder),
            Parse(value.Templates.FlappingSubject, NotificationKind.Flapping),
            Parse(value.Templates.DigestSubject, NotificationKind.Digest),
        ];
        _messages =
        [
            Parse(value.Templates.Message, NotificationKind.Offline),
            Parse(value.Templates.RecoveredMessage, NotificationKind.Recovered),
            Parse(value.Templates.ReminderMessage, NotificationKind.Reminder),
            Parse(value.Templates.FlappingMessage, NotificationKind.Flapping),
            Parse(value.Templates.DigestMessage, NotificationKind.Digest),
        ];
        _digestMore = CompositeFormat.Parse(NotificationTemplate.ToCompositeFormat(value.Templates.DigestMoreThings ?? string.Empty, NotificationTemplate.DigestMorePlaceholders));
        _silentSubject = Parse(value.Templates.SilentSubject, NotificationKind.Offline);
        _silentMessage = Parse(value.Templates.SilentMessage, NotificationKind.Offline);
        _digestSeparator = value.Templates.DigestThingSeparator ?? string.Empty;
        _digestListed = value.Alerts.DigestListedThings;
        _timeZone = TimeZoneInfo.FindSystemTimeZoneById(value.TimeZone);
        _culture = CultureInfo.GetCultureInfo(value.Culture);
        _timestampFormat = value.TimestampFormat;
    }

    private NotificationFormatter(IOptions<GracefulDisconnectOptions> options, bool rendersText)
        : this(options) => _rendersText = rendersText;

    /// <summary>A formatter that fills every field of a notification but its subject and message (left empty).</summary>
    internal static NotificationFormatter FactsOnly(GracefulDisconnectOptions options) => new(Options.Create(options), rendersText: false);

    /// <summary>Creates the notification for an outage that outlasted its grace period.</summary>
    /// <param name="trigger">The disconnect that began the outage.</param>
    /// <param name="decidedAt">When the re-check decided.</param>
    /// <param name="gracePeriod">The grace period.</param>
    /// <returns>The notification.</returns>
    public DeviceNotification Create(in DisconnectTrigger trigger, DateTimeOffset decidedAt, TimeSpan gracePeriod)
    {
        var outageId = new OutageId(trigger).ToString();
        var values = OutageValues(trigger, decidedAt - trigger.DisconnectedAt, gracePeriod, decidedAt, outageId);
        return Render(NotificationKind.Offline, trigger.ThingName, trigger.DisconnectedAt, decidedAt, gracePeriod, outageId, values);
    }

    /// <summary>
    /// Creates the notification that a device believed connected sent nothing for longer than its silence threshold:
    /// an offline notification (<see cref="NotificationKind.Offline"/>, so channels and digests treat it as one) whose
    /// text says "silent since".
    /// </summary>
    /// <param name="thingName">The device.</param>
    /// <param name="silentSince">When it was last heard from: the start of the outage.</param>
    /// <param name="decidedAt">When the engine found it silent.</param>
    /// <param name="silentAfter">The silence threshold (shown as <c>{grace}</c>).</param>
    /// <returns>The notification; its outage id is <c>{thing}@{epochSeconds of silentSince}</c>.</returns>
    public DeviceNotification CreateSilent(string thingName, DateTimeOffset silentSince, DateTimeOffset decidedAt, TimeSpan silentAfter)
    {
        var trigger = new DisconnectTrigger(thingName, silentSince);
        var outageId = new OutageId(trigger).ToString();
        var values = OutageValues(trigger, decidedAt - silentSince, silentAfter, decidedAt, outageId);
        return new DeviceNotification(
            thingName,
            silentSince,
            decidedAt,
            silentAfter,
            outageId,
            string.Format(_culture, _silentSubject, values),
            string.Format(_culture, _silentMessage, values))
        {
            Kind = NotificationKind.Offline,
            OfflineFor = decidedAt - silentSince,
        };
    }

    /// <summary>Creates the notification that a device notified as offline is back.</summary>
    /// <param name="trigger">The disconnect that began the notified outage.</param>
    /// <param name="recoveredAt">When the device connected again, by the source.</param>
    /// <param name="decidedAt">When the engine learned of it.</param>
    /// <param name="gracePeriod">The grace period of the device.</param>
    /// <returns>A <see cref="NotificationKind.Recovered"/> notification; <see cref="DeviceNotification.OfflineFor"/> is <c>recoveredAt - trigger.DisconnectedAt</c>.</returns>
    public DeviceNotification CreateRecovered(in DisconnectTrigger trigger, DateTimeOffset recoveredAt, DateTimeOffset decidedAt, TimeSpan gracePeriod)
    {
        var outageId = new OutageId(trigger).ToString();
        var offlineFor = recoveredAt - trigger.DisconnectedAt;
        var values = OutageValues(trigger, offlineFor, gracePeriod, decidedAt, outageId, _rendersText ? LocalTime(recoveredAt) : null);
        return Render(NotificationKind.Recovered, trigger.ThingName, trigger.DisconnectedAt, decidedAt, gracePeriod, outageId, values, offlineFor);
    }

    /// <summary>Creates a reminder that a notified outage goes on.</summary>
    /// <param name="trigger">The disconnect that began the notified outage.</param>
    /// <param name="reminder">Which reminder, from 1.</param>
    /// <param name="decidedAt">When the re-check found the device still offline.</param>
    /// <param name="gracePeriod">The grace period of the device.</param>
    /// <returns>A <see cref="NotificationKind.Reminder"/> notification.</returns>
    public DeviceNotification CreateReminder(in DisconnectTrigger trigger, int reminder, DateTimeOffset decidedAt, TimeSpan gracePeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reminder, 1);
        var outageId = new OutageId(trigger).ToString();
        var offlineFor = decidedAt - trigger.DisconnectedAt;
        var values = OutageValues(trigger, offlineFor, gracePeriod, decidedAt, outageId, reminder);
        return Render(NotificationKind.Reminder, trigger.ThingName, trigger.DisconnectedAt, decidedAt, gracePeriod, outageId, values, offlineFor, reminder);
    }

    /// <summary>Creates the notification that a device started flapping.</summary>
    /// <param name="disconnect">The disconnect that made it flap.</param>
    /// <param name="disconnects">How many disconnects fell inside the window.</param>
    /// <param name="window">The flap window.</param>
    /// <param name="decidedAt">When the engine saw it.</param>
    /// <param name="gracePeriod">The grace period of the device.</param>
    /// <returns>A <see cref="NotificationKind.Flapping"/> notification whose outage id is that of <paramref name="disconnect"/>.</returns>
    public DeviceNotification CreateFlapping(in DisconnectTrigger disconnect, int disconnects, TimeSpan window, DateTimeOffset decidedAt, TimeSpan gracePeriod)
    {
        var outageId = new OutageId(disconnect).ToString();
        object?[] values = !_rendersText ? [] :
        [
            disconnect.ThingName,
            LocalTime(disconnect.DisconnectedAt),
            disconnects,
            DurationText.Describe(window),
            LocalTime(decidedAt),
            outageId,
        ];
        return Render(NotificationKind.Flapping, disconnect.ThingName, disconnect.DisconnectedAt, decidedAt, gracePeriod, outageId, values, disconnects: disconnects);
    }

    /// <summary>Creates the digest of many devices that went offline together.</summary>
    /// <param name="group">The digest group (<see cref="DigestGroups.AllKey"/> for the whole fleet).</param>
    /// <param name="things">The devices, in the order they were decided, each once.</param>
    /// <param name="offlineSince">The start of the earliest outage among them.</param>
    /// <param name="lastOfflineSince">The start of the latest outage among them: with <paramref name="offlineSince"/>, the time span of the storm.</param>
    /// <param name="window">The digest window.</param>
    /// <param name="decidedAt">When the digest closed.</param>
    /// <param name="gracePeriod">The grace period shown (that of the earliest outage).</param>
    /// <returns>A <see cref="NotificationKind.Digest"/> notification whose outage id is <c>{group}@{epochSeconds of offlineSince}</c>.</returns>
    public DeviceNotification CreateDigest(string group, IReadOnlyList<string> things, DateTimeOffset offlineSince, DateTimeOffset lastOfflineSince, TimeSpan window, DateTimeOffset decidedAt, TimeSpan gracePeriod)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentNullException.ThrowIfNull(things);
        var outageId = new OutageId(group, offlineSince).ToString();
        object?[] values =
        [
            group,
            LocalTime(offlineSince),
            things.Count,
            ListThings(things),
            DurationText.Describe(window),
            LocalTime(decidedAt),
            outageId,
            DurationText.Describe(gracePeriod),
            LocalTime(lastOfflineSince),
        ];
        return Render(NotificationKind.Digest, group, offlineSince, decidedAt, gracePeriod, outageId, values) with { Things = [.. things] };
    }

    // The placeholders every outage template has, in NotificationTemplate's order, then the kind's own one.
    private object?[] OutageValues(in DisconnectTrigger trigger, TimeSpan offlineFor, TimeSpan gracePeriod, DateTimeOffset decidedAt, string outageId, object? kindValue = null)
        => !_rendersText ? [] :
        [
            trigger.ThingName,
            LocalTime(trigger.DisconnectedAt),
            DurationText.Describe(offlineFor),
            DurationText.Describe(gracePeriod),
            LocalTime(decidedAt),
            outageId,
            kindValue,
        ];

    private static CompositeFormat Parse(string template, NotificationKind kind)
        => CompositeFormat.Parse(NotificationTemplate.ToCompositeFormat(template ?? string.Empty, NotificationTemplate.PlaceholdersOf(kind)));

    // One object per notification, its kind's fields set at once (replay creates one per alert it reports).
    private DeviceNotification Render(
        NotificationKind kind, string thing, DateTimeOffset offlineSince, DateTimeOffset decidedAt, TimeSpan gracePeriod, string outageId, object?[] values,
        TimeSpan? offlineFor = null, int reminder = 0, int disconnects = 0)
        => new(
            thing,
            offlineSince,
            decidedAt,
            gracePeriod,
            outageId,
            _rendersText ? string.Format(_culture, _subjects[(int)kind], values) : string.Empty,
            _rendersText ? string.Format(_culture, _messages[(int)kind], values) : string.Empty)
        {
            Kind = kind,
            OfflineFor = offlineFor,
            Reminder = reminder,
            Disconnects = disconnects,
        };

    private string ListThings(IReadOnlyList<string> things)
    {
        var listed = Math.Min(things.Count, _digestListed);
        var builder = new StringBuilder();
        for (var i = 0; i < listed; i++)
        {
            if (i > 0)
            {
                builder.Append(_digestSeparator);
            }

            builder.Append(things[i]);
        }

        if (things.Count > listed)
        {
            builder.AppendFormat(_culture, _digestMore, things.Count - listed);
        }

        return builder.ToString();
    }

    private string LocalTime(DateTimeOffset value)
        => TimeZoneInfo.ConvertTime(value, _timeZone).ToString(_timestampFormat, _culture);
}
