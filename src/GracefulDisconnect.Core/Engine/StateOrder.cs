namespace GracefulDisconnect.Engine;

/// <summary>
/// Which of two changes of one device is the later, for the state machine: the one rule of
/// <see cref="ConnectionOrder"/> (AWS's: versions within a client's recent sessions, else the timestamps at the
/// coarser resolution of the two, and a disconnect after the connect of the same instant), in the engine's types.
/// </summary>
internal static class StateOrder
{
    /// <summary>The sign of the left change minus the right one, in state order.</summary>
    public static int Compare(bool leftConnected, DateTimeOffset leftAt, long? leftVersion, bool rightConnected, DateTimeOffset rightAt, long? rightVersion)
        => ConnectionOrder.Compare(
            leftAt.UtcTicks,
            leftVersion ?? ConnectionOrder.NoVersion,
            leftConnected,
            rightAt.UtcTicks,
            rightVersion ?? ConnectionOrder.NoVersion,
            rightConnected);

    /// <summary>Whether <paramref name="change"/> comes after the disconnect at <paramref name="disconnectedAt"/>.</summary>
    public static bool IsAfterDisconnect(in ObservedChange change, DateTimeOffset disconnectedAt, long? version)
        => Compare(change.Connected, change.At, change.Version, false, disconnectedAt, version) > 0;
}
