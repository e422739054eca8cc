namespace GracefulDisconnect.Engine;

/// <summary>
/// What the state machine needs from the options, read once: grace periods, which alerts are on, and the formatter
/// that renders notifications. Pure: no clock, no I/O.
/// </summary>
internal sealed class DeviceRules
{
    private readonly GracefulDisconnectOptions _options;
    private readonly TimeSpan? _graceForAll;

    /// <param name="options">The options.</param>
    /// <param name="formatter">Renders the notifications.</param>
    /// <param name="graceForAll">One grace period for every device instead of the options' (a replay sweeps several).</param>
    public DeviceRules(GracefulDisconnectOptions options, NotificationFormatter formatter, TimeSpan? graceForAll = null)
    {
        _options = options;
        Formatter = formatter;
        _graceForAll = graceForAll;
    }

    public NotificationFormatter Formatter { get; }

    public bool NotifyRecovery => _options.Alerts.NotifyRecovery;

    public TimeSpan? ReminderInterval => _options.Alerts.ReminderInterval;

    public TimeSpan? StableFor => _options.Alerts.StableFor;

    public int? MaxReminders => _options.Alerts.MaxReminders;

    public TimeSpan GracePeriodFor(string thingName) => _graceForAll ?? _options.GracePeriodFor(thingName);

    public FlapThreshold? FlappingFor(string thingName) => _options.Alerts.FlappingFor(thingName);

    public TimeSpan? SilentAfterFor(string thingName) => _options.SilentAfterFor(thingName);
}
