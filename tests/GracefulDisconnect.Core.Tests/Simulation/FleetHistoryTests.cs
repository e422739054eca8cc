using GracefulDisconnect.Simulation;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Simulation;

public class FleetHistoryTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    private sealed class CollectingSink : IReplaySink
    {
        public List<ReplayDecision> Decisions { get; } = [];

        public void OnDecision(in ReplayDecision decision) => Decisions.Add(decision);
    }

    private static List<ReplayDecision> Replay(TimeSpan grace, params ConnectionEvent[] events)
    {
        var sink = new CollectingSink();
        FleetHistory.Create(events).Replay(grace, sink);
        return sink.Decisions;
    }

    private static ConnectionEvent Down(DateTimeOffset at, long? version = null, DateTimeOffset? receivedAt = null, string thing = "t1")
        => new(thing, false, at, version, receivedAt);

    private static ConnectionEvent Up(DateTimeOffset at, long? version = null, DateTimeOffset? receivedAt = null, string thing = "t1")
        => new(thing, true, at, version, receivedAt);

    [Fact]
    public void Replay_LongOutage_NotifiesAtTheEndOfTheGracePeriod()
    {
        var decision = Assert.Single(Replay(Grace, Down(Instants.Noon)));

        Assert.Equal(new ReplayDecision("t1", RecheckResult.Notified, Instants.Noon, Instants.Noon + Grace, Grace), decision);
    }

    [Fact]
    public void Replay_OutageExactlyAsLongAsTheGracePeriod_IsReconnected()
    {
        var decision = Assert.Single(Replay(Grace, Down(Instants.Noon), Up(Instants.Noon + Grace)));

        Assert.Equal(RecheckResult.SkippedReconnected, decision.Result);
    }

    [Fact]
    public void Replay_LateDisconnect_IsDecidedWhenItArrives()
    {
        var decision = Assert.Single(Replay(Grace, Down(Instants.Noon, receivedAt: Instants.Noon.AddMinutes(12))));

        Assert.Equal(RecheckResult.Notified, decision.Result);
        Assert.Equal(Instants.Noon.AddMinutes(12), decision.DecidedAt);
    }

    [Fact]
    public void Replay_DisconnectArrivingAfterTheReconnect_IsReconnected()
    {
        var decisions = Replay(Grace, Up(Instants.Noon.AddMinutes(10)), Down(Instants.Noon, receivedAt: Instants.Noon.AddMinutes(11)));

        var decision = Assert.Single(decisions);
        Assert.Equal(RecheckResult.SkippedReconnected, decision.Result);
        Assert.Equal(Instants.Noon.AddMinutes(11), decision.DecidedAt);
    }

    [Fact]
    public void Replay_FlapThenLongOutage_SupersedesTheFlap()
    {
        var decisions = Replay(Grace, Down(Instants.Noon), Up(Instants.Noon.AddMinutes(1)), Down(Instants.Noon.AddMinutes(2)));

        Assert.Equal([RecheckResult.SkippedSuperseded, RecheckResult.Notified], decisions.Select(d => d.Result));
        Assert.Equal(Instants.Noon.AddMinutes(2), decisions[1].OfflineSince);
    }

    [Fact]
    public void Replay_SameDisconnectInMillisecondsAndSeconds_NotifiesOnce()
    {
        // A lifecycle event (ms, with version) and the shadow's view of the same change (whole seconds).
        var decisions = Replay(Grace, Down(Instants.Noon.Ms(451), version: 3), Down(Instants.Noon));

        Assert.Equal([RecheckResult.Notified, RecheckResult.SkippedDuplicate], decisions.Select(d => d.Result));
        Assert.Equal(Instants.Noon + Grace, decisions[0].DecidedAt);
    }

    [Fact]
    public void Replay_ConnectAndDisconnectInTheSameWholeSecond_VersionsOrderThem()
    {
        // Connection 3 drops and connection 4 comes up within the same second: the newer version wins.
        var reconnected = Replay(Grace, Down(Instants.Noon, version: 3), Up(Instants.Noon, version: 4));

        // The connect and the disconnect of one connection share a version: the disconnect is the later.
        var stillDown = Replay(Grace, Up(Instants.Noon, version: 4), Down(Instants.Noon, version: 4));

        Assert.Equal(RecheckResult.SkippedReconnected, Assert.Single(reconnected).Result);
        Assert.Equal(RecheckResult.Notified, Assert.Single(stillDown).Result);
    }

    [Fact]
    public void Replay_VersionResetAfterALongOutage_StillOrdersByTime()
    {
        var decisions = Replay(
            Grace,
            Up(Instants.Noon.AddHours(-1), version: 7),
            Down(Instants.Noon, version: 7),
            Up(Instants.Noon.AddMinutes(90), version: 0),
            Down(Instants.Noon.AddMinutes(91), version: 0));

        Assert.Equal([RecheckResult.Notified, RecheckResult.Notified], decisions.Select(d => d.Result));
        Assert.Equal([Instants.Noon, Instants.Noon.AddMinutes(91)], decisions.Select(d => d.OfflineSince));
    }

    [Fact]
    public void Replay_ReconnectStampedBeforeTheDisconnect_VersionOrdersThemAndNothingIsNotified()
    {
        // Connection 5 came up after connection 4 dropped, but its timestamp is 60 s early (AWS: good to ±2 min).
        // By time alone the drop would be the latest change and a false alarm would follow.
        var decisions = Replay(
            Grace,
            Up(Instants.Noon, version: 4),
            Down(Instants.Noon.AddMinutes(10), version: 4),
            Up(Instants.Noon.AddMinutes(9), version: 5, receivedAt: Instants.Noon.AddMinutes(10).AddSeconds(5)));

        Assert.Equal(RecheckResult.SkippedReconnected, Assert.Single(decisions).Result);
    }

    [Fact]
    public void Replay_DisconnectStampedBeforeItsConnect_IsStillTheLaterChange()
    {
        // The same connection's disconnect is stamped 30 s before its connect: the same version puts it last.
        var decisions = Replay(
            Grace,
            Up(Instants.Noon.AddSeconds(30), version: 8),
            Down(Instants.Noon, version: 8));

        Assert.Equal(RecheckResult.Notified, Assert.Single(decisions).Result);
    }

    [Fact]
    public void Replay_OutOfOrderDelivery_DecidesInVirtualTimeOrder()
    {
        var decisions = Replay(
            Grace,
            Down(Instants.Noon.AddMinutes(3), thing: "b"),
            Down(Instants.Noon, thing: "a", receivedAt: Instants.Noon.AddMinutes(4)));

        Assert.Equal(["a", "b"], decisions.Select(d => d.ThingName));
        Assert.Equal([Instants.Noon + Grace, Instants.Noon.AddMinutes(3) + Grace], decisions.Select(d => d.DecidedAt));
    }

    [Fact]
    public void Replay_OnlyConnects_DecidesNothing()
    {
        Assert.Empty(Replay(Grace, Up(Instants.Noon), Up(Instants.Noon.AddMinutes(1), thing: "t2")));
    }

    [Fact]
    public void Replay_EmptyHistory_DecidesNothing()
    {
        var history = FleetHistory.Create([]);
        var sink = new CollectingSink();

        history.Replay(Grace, sink);

        Assert.Empty(sink.Decisions);
        Assert.Equal(0, history.EventCount);
        Assert.Equal(0, history.ThingCount);
    }

    [Fact]
    public void Replay_GraceUnderOneSecond_Throws()
    {
        var history = FleetHistory.Create([Down(Instants.Noon)]);

        Assert.Throws<ArgumentOutOfRangeException>(() => history.Replay(TimeSpan.FromMilliseconds(999), new CollectingSink()));
        Assert.Throws<ArgumentNullException>(() => history.Replay(Grace, null!));
    }

    [Fact]
    public void Create_InvalidThingName_Throws()
    {
        Assert.Throws<ArgumentException>(() => FleetHistory.Create([Down(Instants.Noon, thing: "")]));
        Assert.Throws<ArgumentNullException>(() => FleetHistory.Create(null!));
    }

    [Fact]
    public void Create_CountsEventsAndThings()
    {
        var history = FleetHistory.Create([Down(Instants.Noon), Up(Instants.Noon.AddMinutes(1)), Down(Instants.Noon, thing: "t2")]);

        Assert.Equal(3, history.EventCount);
        Assert.Equal(2, history.ThingCount);
    }

    [Fact]
    public void Builder_ManyEvents_GrowsBeyondItsInitialCapacity()
    {
        var builder = new FleetHistory.Builder();
        for (var i = 0; i < 3000; i++)
        {
            builder.Add(Down(Instants.Noon.AddMinutes(i * 10), thing: $"t{i % 7}"));
        }

        var history = builder.Build();
        var sink = new CollectingSink();
        history.Replay(Grace, sink);

        Assert.Equal(3000, history.EventCount);
        Assert.Equal(3000, sink.Decisions.Count);
    }
}
