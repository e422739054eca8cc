namespace GracefulDisconnect;

/// <summary>
/// Compares timestamps from sources of different resolution. AWS lifecycle events carry epoch
/// milliseconds, Device Shadow metadata epoch seconds: the same instant reads 12:00:00.451 from one and
/// 12:00:00 from the other. A timestamp with no sub-second part is taken to be of second resolution,
/// and a comparison involving one is made at whole seconds.
/// </summary>
internal static class SourceTimestamp
{
    /// <summary>Returns the sign of <paramref name="leftTicks"/> minus <paramref name="rightTicks"/>, at the coarser resolution of the two.</summary>
    public static int Compare(long leftTicks, long rightTicks)
    {
        if (IsWholeSecond(leftTicks) || IsWholeSecond(rightTicks))
        {
            return FloorToSecond(leftTicks).CompareTo(FloorToSecond(rightTicks));
        }

        return leftTicks.CompareTo(rightTicks);
    }

    /// <summary>Whether the timestamp has no sub-second part.</summary>
    public static bool IsWholeSecond(long ticks) => ticks % TimeSpan.TicksPerSecond == 0;

    /// <summary>The timestamp truncated to whole seconds.</summary>
    public static long FloorToSecond(long ticks) => ticks - (ticks % TimeSpan.TicksPerSecond);
}
