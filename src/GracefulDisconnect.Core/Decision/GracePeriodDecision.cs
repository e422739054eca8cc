namespace GracefulDisconnect;

/// <summary>
/// The pure decision at the heart of the library: given the trigger, what the state source says now,
/// the current time and the grace period, should anyone be told? No I/O, no clock, no allocation.
/// </summary>
public static class GracePeriodDecision
{
    /// <summary>Decides what to do with a re-check.</summary>
    /// <param name="trigger">The disconnect that scheduled this re-check.</param>
    /// <param name="snapshot">The state read now, or <see langword="null"/> when the thing or its shadow does not exist.</param>
    /// <param name="now">The current time.</param>
    /// <param name="gracePeriod">How long a device may stay offline before anyone is told. Must not be negative.</param>
    /// <returns>The verdict; see the decision table in the README.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gracePeriod"/> is negative.</exception>
    public static Verdict Decide(in DisconnectTrigger trigger, ConnectionSnapshot? snapshot, DateTimeOffset now, TimeSpan gracePeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);

        if (now.UtcTicks < DueAtTicks(trigger.DisconnectedAt.UtcTicks, gracePeriod.Ticks))
        {
            return Verdict.NotYetDue;
        }

        if (snapshot is not { } state)
        {
            return Verdict.SkipUnknownThing;
        }

        if (state.Connected)
        {
            return Verdict.SkipReconnected;
        }

        return IsNewer(state, trigger) ? Verdict.SkipSuperseded : Verdict.Notify;
    }

    /// <summary>When a re-check of <paramref name="trigger"/> becomes due: <c>DisconnectedAt + gracePeriod</c>, saturating at <see cref="DateTimeOffset.MaxValue"/>.</summary>
    /// <param name="trigger">The disconnect.</param>
    /// <param name="gracePeriod">The grace period. Must not be negative.</param>
    /// <returns>The due time, in UTC.</returns>
    public static DateTimeOffset DueAt(in DisconnectTrigger trigger, TimeSpan gracePeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        return new DateTimeOffset(DueAtTicks(trigger.DisconnectedAt.UtcTicks, gracePeriod.Ticks), TimeSpan.Zero);
    }

    private static long DueAtTicks(long disconnectedAtTicks, long graceTicks)
        => graceTicks > DateTimeOffset.MaxValue.UtcTicks - disconnectedAtTicks
            ? DateTimeOffset.MaxValue.UtcTicks
            : disconnectedAtTicks + graceTicks;

    // A disconnected snapshot supersedes the trigger when its change happened later, by AWS's ordering rules
    // (ConnectionOrder): within a connection's recent history the version, else the timestamps.
    private static bool IsNewer(in ConnectionSnapshot state, in DisconnectTrigger trigger) => ConnectionOrder.Compare(state, trigger) > 0;
}
