using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Decision;

/// <summary>One test per rule of <see cref="ConnectionOrder"/>, AWS's order of a client's connection changes.</summary>
public class ConnectionOrderTests
{
    private const long None = ConnectionOrder.NoVersion;
    private static readonly long Noon = Instants.Noon.UtcTicks;

    [Fact]
    public void Compare_VersionsWithinTheWindow_VersionDecidesAgainstTheTimestamps()
    {
        // Connection 5's disconnect is stamped 90 s before connection 4's connect: the timestamps are off, not the order.
        var later = ConnectionOrder.Compare(Noon - Seconds(90), 5, false, Noon, 4, true);

        Assert.True(later > 0);
        Assert.True(ConnectionOrder.Compare(Noon, 4, true, Noon - Seconds(90), 5, false) < 0);
    }

    [Fact]
    public void Compare_SameVersion_DisconnectIsLaterThanConnectWhateverTheTimestamps()
    {
        Assert.True(ConnectionOrder.Compare(Noon - Seconds(60), 7, false, Noon, 7, true) > 0);
        Assert.True(ConnectionOrder.Compare(Noon, 7, true, Noon - Seconds(60), 7, false) < 0);
    }

    [Fact]
    public void Compare_SameVersionAndKind_IsTheSameChange()
    {
        // A connection has one disconnect: stamped 3 s apart, it is still that one.
        Assert.Equal(0, ConnectionOrder.Compare(Noon + Seconds(3), 7, false, Noon, 7, false));
        Assert.Equal(0, ConnectionOrder.Compare(Noon, 7, true, Noon + Seconds(3), 7, true));
    }

    [Fact]
    public void Compare_VersionsFurtherApartThanTheWindow_TimestampsDecide()
    {
        // After about an hour offline the version may start again from 0: version 0 two hours later is the newer change.
        var twoHoursLater = Noon + TimeSpan.FromHours(2).Ticks;

        Assert.True(ConnectionOrder.Compare(twoHoursLater, 0, true, Noon, 41, false) > 0);
        Assert.True(ConnectionOrder.Compare(Noon + ConnectionOrder.VersionWindow.Ticks, 0, true, Noon, 41, false) > 0);
        Assert.True(ConnectionOrder.Compare(Noon + ConnectionOrder.VersionWindow.Ticks - 1, 0, true, Noon, 41, false) < 0);
    }

    [Fact]
    public void Compare_OneSideWithoutVersion_TimestampsDecide()
    {
        Assert.True(ConnectionOrder.Compare(Noon + Seconds(1), None, true, Noon, 9, false) > 0);
        Assert.True(ConnectionOrder.Compare(Noon - Seconds(1), 9, false, Noon, None, true) < 0);
    }

    [Fact]
    public void Compare_EqualTimestampsAndBothVersions_VersionDecides()
    {
        Assert.True(ConnectionOrder.Compare(Noon, 4, true, Noon, 3, false) > 0);
    }

    [Fact]
    public void Compare_EqualTimestampsAndAMissingVersion_DisconnectIsLater()
    {
        Assert.True(ConnectionOrder.Compare(Noon, None, false, Noon, 3, true) > 0);
        Assert.Equal(0, ConnectionOrder.Compare(Noon, None, false, Noon, 3, false));
    }

    [Fact]
    public void Compare_MillisecondsAgainstWholeSeconds_ComparesAtWholeSeconds()
    {
        // The shadow's whole second and the lifecycle event's milliseconds name the same change.
        Assert.Equal(0, ConnectionOrder.Compare(Noon + (451 * TimeSpan.TicksPerMillisecond), None, false, Noon, None, false));
        Assert.True(ConnectionOrder.Compare(Noon + (451 * TimeSpan.TicksPerMillisecond), None, false, Noon + (100 * TimeSpan.TicksPerMillisecond), None, false) > 0);
    }

    private static long Seconds(int seconds) => seconds * TimeSpan.TicksPerSecond;
}
