using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Monitoring;

public class OutageIdTests
{
    private const long NoonEpochSeconds = 1_767_268_800;

    [Fact]
    public void Constructor_WholeSecond_StoresEpochSeconds()
    {
        var id = new OutageId("t1", Instants.Noon);

        Assert.Equal("t1", id.ThingName);
        Assert.Equal(NoonEpochSeconds, id.StartedAtEpochSeconds);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(451)]
    [InlineData(999)]
    public void Constructor_SubSecond_TruncatesToTheSecond(int milliseconds)
    {
        Assert.Equal(new OutageId("t1", Instants.Noon), new OutageId("t1", Instants.Noon.Ms(milliseconds)));
        Assert.NotEqual(new OutageId("t1", Instants.Noon), new OutageId("t1", Instants.Noon.AddSeconds(1)));
    }

    [Fact]
    public void Constructor_Offset_UsesTheUtcInstant()
    {
        Assert.Equal(new OutageId("t1", Instants.Noon), new OutageId("t1", Instants.Noon.ToOffset(TimeSpan.FromHours(9))));
    }

    [Fact]
    public void Constructor_FromTrigger_MatchesThingAndTime()
    {
        var trigger = new DisconnectTrigger("t1", Instants.Noon.Ms(250), Version: 9);

        Assert.Equal(new OutageId("t1", Instants.Noon), new OutageId(trigger));
    }

    [Fact]
    public void Equality_DifferentThings_AreDifferent()
    {
        Assert.NotEqual(new OutageId("t1", Instants.Noon), new OutageId("t2", Instants.Noon));
        Assert.NotEqual(new OutageId("t1", Instants.Noon), new OutageId("T1", Instants.Noon));
    }

    [Fact]
    public void ToString_IsThingAtEpochSeconds()
    {
        Assert.Equal("t1@1767268800", new OutageId("t1", Instants.Noon.Ms(999)).ToString());
        Assert.Equal("sensor:7@0", new OutageId("sensor:7", DateTimeOffset.UnixEpoch).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Constructor_NoThing_Throws(string? thing)
    {
        Assert.ThrowsAny<ArgumentException>(() => new OutageId(thing!, Instants.Noon));
    }
}
