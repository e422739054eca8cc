using System.Globalization;

namespace GracefulDisconnect;

/// <summary>
/// Identifies one outage: a thing and the second it went offline. Whole seconds, because sources
/// report the same disconnect in milliseconds (lifecycle events) or seconds (Device Shadow); two
/// outages of one thing that begin in the same second cannot both outlast a grace period of a second or more.
/// </summary>
public readonly record struct OutageId
{
    /// <summary>Creates the id of the outage that <paramref name="trigger"/> began.</summary>
    /// <param name="trigger">The disconnect.</param>
    public OutageId(in DisconnectTrigger trigger)
        : this(trigger.ThingName, trigger.DisconnectedAt)
    {
    }

    /// <summary>Creates an outage id.</summary>
    /// <param name="thingName">The thing.</param>
    /// <param name="startedAt">When the outage began; truncated to whole seconds.</param>
    public OutageId(string thingName, DateTimeOffset startedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(thingName);
        ThingName = thingName;
        StartedAtEpochSeconds = (startedAt.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
    }

    /// <summary>The thing.</summary>
    public string ThingName { get; }

    /// <summary>When the outage began, in whole seconds since 1970-01-01 UTC.</summary>
    public long StartedAtEpochSeconds { get; }

    /// <summary>The stable text form, <c>{thing}@{epochSeconds}</c>, used as a deduplication key.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ThingName}@{StartedAtEpochSeconds}");
}
