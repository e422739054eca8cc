namespace GracefulDisconnect;

/// <summary>
/// A trigger as the in-memory scheduler stores it: 24 bytes (UTC ticks and a sentinel for "no
/// version") instead of the 40 of a <see cref="DisconnectTrigger"/>, which matters at a million pending.
/// </summary>
internal readonly struct PendingRecheck
{
    private const long NoVersion = long.MinValue;
    private readonly string _thingName;
    private readonly long _disconnectedAtTicks;
    private readonly long _version;

    public PendingRecheck(in DisconnectTrigger trigger)
    {
        _thingName = trigger.ThingName;
        _disconnectedAtTicks = trigger.DisconnectedAt.UtcTicks;
        _version = trigger.Version ?? NoVersion;
    }

    public DisconnectTrigger ToTrigger()
        => new(_thingName, new DateTimeOffset(_disconnectedAtTicks, TimeSpan.Zero), _version == NoVersion ? null : _version);
}
