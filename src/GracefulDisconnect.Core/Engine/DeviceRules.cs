namespace GracefulDisconnect.Engine;

/// <summary>
/// What the state machine needs from the options, read once: grace periods, which alerts are on, and the formatter
/// that renders notifications. Pure: no clock, no I/O.
/// </summary>
internal sealed class DeviceRules
{
    private readonly GracefulDisconnectOptions _options;

    public DeviceRules(GracefulDisconnectOptions options, NotificationFormatter formatter)
    {
        _options = options;
        Formatter = formatter;
    }

    public NotificationFormatter Formatter { get; }

    public bool NotifyRecovery => _options.NotifyRecovery;

    public TimeSpan? ReminderInterval => _options.ReminderInterval;

    public int? MaxReminders => _options.MaxReminders;

    public TimeSpan GracePeriodFor(string thingName) => _options.GracePeriodFor(thingName);

    public FlapThreshold? FlappingFor(string thingName) => _options.FlappingFor(thingName);

    public TimeSpan? SilentAfterFor(string thingName) => _options.SilentAfterFor(thingName);
}
