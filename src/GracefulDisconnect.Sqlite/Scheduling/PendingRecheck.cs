namespace GracefulDisconnect.Sqlite;

/// <summary>
/// A stored re-check. Its key (thing, disconnected-at ticks, version) is the trigger itself, so the same
/// trigger scheduled twice is one row.
/// </summary>
internal readonly record struct PendingRecheck(string ThingName, long DisconnectedAtTicks, long Version, long DueTicks)
{
    public static PendingRecheck From(in DisconnectTrigger trigger, long dueTicks)
        => new(trigger.ThingName, trigger.DisconnectedAt.UtcTicks, trigger.Version ?? SqliteSchema.NoVersion, dueTicks);

    public PendingRecheckKey Key => new(ThingName, DisconnectedAtTicks, Version);

    public DisconnectTrigger ToTrigger()
        => new(ThingName, new DateTimeOffset(DisconnectedAtTicks, TimeSpan.Zero), Version == SqliteSchema.NoVersion ? null : Version);
}

/// <summary>The primary key of a stored re-check.</summary>
internal readonly record struct PendingRecheckKey(string ThingName, long DisconnectedAtTicks, long Version);
