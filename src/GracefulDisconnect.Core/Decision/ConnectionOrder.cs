namespace GracefulDisconnect;

/// <summary>
/// Which of two connection changes of one device happened later, by AWS IoT's rules for lifecycle events.
/// Their <c>timestamp</c> is only accurate to about ±2 minutes, while <c>versionNumber</c> grows with every
/// connection of a client id (a connection's connect and disconnect share it, the disconnect being the
/// later) and may start again from 0 after about an hour offline. So: when both changes carry a version and
/// lie within <see cref="VersionWindow"/> of each other, no reset can lie between them and the version
/// decides, an equal version putting the disconnect last; otherwise the timestamps decide (at the coarser
/// resolution of the two, see <see cref="SourceTimestamp"/>, unless both come from one recording), and only
/// at equal times the versions (when
/// both carry one) and then the disconnect. The decision and replay's state order both use this one rule.
/// </summary>
internal static class ConnectionOrder
{
    /// <summary>Stands for "no version" in the primitive form.</summary>
    public const long NoVersion = long.MinValue;

    /// <summary>
    /// How far apart two changes may be for their versions to be compared. Far wider than the timestamps'
    /// error (two changes each off by 2 minutes may look 4 minutes apart either way) and far shorter than
    /// the hour offline after which a version may reset, so a reset never lies inside it.
    /// </summary>
    public static TimeSpan VersionWindow => TimeSpan.FromTicks(VersionWindowTicks);

    private const long VersionWindowTicks = 15 * TimeSpan.TicksPerMinute;

    /// <summary>Returns the sign of "change a happened after change b": positive when later, 0 when the two cannot be told apart.</summary>
    /// <param name="aTicks">UTC ticks of the first change.</param>
    /// <param name="aVersion">Its version, or <see cref="NoVersion"/>.</param>
    /// <param name="aConnected">Whether it was a connect.</param>
    /// <param name="bTicks">UTC ticks of the second change.</param>
    /// <param name="bVersion">Its version, or <see cref="NoVersion"/>.</param>
    /// <param name="bConnected">Whether it was a connect.</param>
    /// <returns>Negative, zero or positive.</returns>
    /// <param name="sameResolution">
    /// Whether both timestamps come from one recording at one resolution (replay's state order): they are then
    /// compared exactly, a whole-second stamp sorting at the start of its second. Otherwise (a re-check comparing
    /// what a source reads now with the event that triggered it) they may be one change seen by sources of
    /// different resolution, and are compared at the coarser one.
    /// </param>
    public static int Compare(long aTicks, long aVersion, bool aConnected, long bTicks, long bVersion, bool bConnected, bool sameResolution = false)
    {
        if (aVersion != NoVersion && bVersion != NoVersion && WithinVersionWindow(aTicks, bTicks))
        {
            if (aVersion != bVersion)
            {
                return aVersion < bVersion ? -1 : 1;
            }

            if (aConnected != bConnected)
            {
                return aConnected ? -1 : 1;
            }

            // The same connection and the same kind is the same change, seen twice (a duplicate delivery, or two
            // sources stamping it differently): neither is later.
            return 0;
        }

        var byTime = sameResolution ? aTicks.CompareTo(bTicks) : SourceTimestamp.Compare(aTicks, bTicks);
        if (byTime != 0)
        {
            return byTime;
        }

        // Versions are only compared when both changes carry one: a missing version says nothing about order.
        if (aVersion != NoVersion && bVersion != NoVersion && aVersion != bVersion)
        {
            return aVersion < bVersion ? -1 : 1;
        }

        return aConnected == bConnected ? 0 : aConnected ? -1 : 1;
    }

    /// <summary>The same rule on the public types, for a change seen at re-check time against the disconnect that triggered it.</summary>
    /// <param name="snapshot">The state read.</param>
    /// <param name="trigger">The disconnect.</param>
    /// <returns>Positive when the snapshot's change happened after the trigger.</returns>
    public static int Compare(in ConnectionSnapshot snapshot, in DisconnectTrigger trigger)
        => Compare(snapshot.ChangedAt.UtcTicks, snapshot.Version ?? NoVersion, snapshot.Connected, trigger.DisconnectedAt.UtcTicks, trigger.Version ?? NoVersion, false);

    // Written without subtraction overflow: ticks are never negative, so the difference of two fits a long.
    private static bool WithinVersionWindow(long aTicks, long bTicks)
        => (aTicks > bTicks ? aTicks - bTicks : bTicks - aTicks) < VersionWindowTicks;
}
