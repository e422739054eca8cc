namespace GracefulDisconnect.Engine;

/// <summary>
/// Which of two changes of one device is the later: source time at the coarser resolution of the two
/// (<see cref="SourceTimestamp"/>), then version when both carry one, then a disconnect after the connect of the
/// same instant (a connection's disconnect follows its connect).
/// </summary>
internal static class StateOrder
{
    /// <summary>The sign of the left change minus the right one, in state order.</summary>
    public static int Compare(bool leftConnected, DateTimeOffset leftAt, long? leftVersion, bool rightConnected, DateTimeOffset rightAt, long? rightVersion)
    {
        var order = SourceTimestamp.Compare(leftAt.UtcTicks, rightAt.UtcTicks);
        if (order != 0)
        {
            return order;
        }

        if (leftVersion is { } l && rightVersion is { } r && l != r)
        {
            return l.CompareTo(r);
        }

        return leftConnected == rightConnected ? 0 : leftConnected ? -1 : 1;
    }

    /// <summary>Whether <paramref name="change"/> comes after the disconnect at <paramref name="disconnectedAt"/>.</summary>
    public static bool IsAfterDisconnect(in ObservedChange change, DateTimeOffset disconnectedAt, long? version)
        => Compare(change.Connected, change.At, change.Version, false, disconnectedAt, version) > 0;
}
