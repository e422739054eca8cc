namespace GracefulDisconnect.Engine;

/// <summary>
/// Which of two changes of one device is the later, for the engine's record: AWS IoT's order of connection changes
/// (<see cref="ConnectionOrder"/>, the one rule the decision and replay's truth use too), with the timestamps compared
/// at the coarser resolution of the two (<see cref="SourceTimestamp"/>): the record meets one change from sources of
/// different resolution.
/// </summary>
internal static class StateOrder
{
    /// <summary>The sign of the left change minus the right one, in state order.</summary>
    public static int Compare(bool leftConnected, DateTimeOffset leftAt, long? leftVersion, bool rightConnected, DateTimeOffset rightAt, long? rightVersion)
        => ConnectionOrder.Compare(leftAt.UtcTicks, leftVersion ?? ConnectionOrder.NoVersion, leftConnected, rightAt.UtcTicks, rightVersion ?? ConnectionOrder.NoVersion, rightConnected);

    /// <summary>Whether <paramref name="change"/> comes after the disconnect at <paramref name="disconnectedAt"/>.</summary>
    public static bool IsAfterDisconnect(in ObservedChange change, DateTimeOffset disconnectedAt, long? version)
        => Compare(change.Connected, change.At, change.Version, false, disconnectedAt, version) > 0;
}
