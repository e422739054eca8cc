using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Decision;

public class GracePeriodDecisionTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset At = Instants.Noon;
    private static readonly DateTimeOffset Due = At + Grace;

    private static Verdict Decide(DisconnectTrigger trigger, ConnectionSnapshot? snapshot, DateTimeOffset? now = null, TimeSpan? grace = null)
        => GracePeriodDecision.Decide(trigger, snapshot, now ?? trigger.DisconnectedAt + (grace ?? Grace), grace ?? Grace);

    [Fact]
    public void Decide_OneTickBeforeDue_ReturnsNotYetDue()
    {
        var trigger = new DisconnectTrigger("t1", At);

        Assert.Equal(Verdict.NotYetDue, Decide(trigger, new ConnectionSnapshot(false, At), Due.AddTicks(-1)));
        Assert.Equal(Verdict.NotYetDue, Decide(trigger, null, Due.AddTicks(-1)));
        Assert.Equal(Verdict.NotYetDue, Decide(trigger, new ConnectionSnapshot(true, At.AddSeconds(1)), Due.AddTicks(-1)));
    }

    [Fact]
    public void Decide_ExactlyAtDue_IsDecided()
    {
        var trigger = new DisconnectTrigger("t1", At);

        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At), Due));
    }

    [Fact]
    public void Decide_LongAfterDue_IsDecided()
    {
        var trigger = new DisconnectTrigger("t1", At);

        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At), Due.AddDays(3)));
    }

    [Fact]
    public void Decide_ZeroGrace_IsDecidedAtTheDisconnect()
    {
        var trigger = new DisconnectTrigger("t1", At);

        Assert.Equal(Verdict.Notify, GracePeriodDecision.Decide(trigger, new ConnectionSnapshot(false, At), At, TimeSpan.Zero));
        Assert.Equal(Verdict.NotYetDue, GracePeriodDecision.Decide(trigger, new ConnectionSnapshot(false, At), At.AddTicks(-1), TimeSpan.Zero));
    }

    [Fact]
    public void Decide_NoSnapshot_ReturnsSkipUnknownThing()
    {
        Assert.Equal(Verdict.SkipUnknownThing, Decide(new DisconnectTrigger("t1", At), null));
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(0)]
    [InlineData(60)]
    public void Decide_ConnectedSnapshot_ReturnsSkipReconnected(int changedOffsetSeconds)
    {
        var snapshot = new ConnectionSnapshot(true, At.AddSeconds(changedOffsetSeconds));

        Assert.Equal(Verdict.SkipReconnected, Decide(new DisconnectTrigger("t1", At), snapshot));
    }

    [Fact]
    public void Decide_DisconnectedWithNewerTimestamp_ReturnsSkipSuperseded()
    {
        var snapshot = new ConnectionSnapshot(false, At.AddSeconds(1));

        Assert.Equal(Verdict.SkipSuperseded, Decide(new DisconnectTrigger("t1", At), snapshot));
    }

    [Fact]
    public void Decide_DisconnectedWithSameTimestamp_ReturnsNotify()
    {
        Assert.Equal(Verdict.Notify, Decide(new DisconnectTrigger("t1", At), new ConnectionSnapshot(false, At)));
    }

    [Fact]
    public void Decide_DisconnectedWithOlderTimestamp_ReturnsNotify()
    {
        Assert.Equal(Verdict.Notify, Decide(new DisconnectTrigger("t1", At), new ConnectionSnapshot(false, At.AddMinutes(-1))));
    }

    [Fact]
    public void Decide_MillisecondTriggerAndWholeSecondSnapshotOfSameInstant_ReturnsNotify()
    {
        // Lifecycle event: 12:00:00.451; shadow metadata: 12:00:00 (epoch seconds) for the same change.
        var trigger = new DisconnectTrigger("t1", At.Ms(451));

        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At)));
    }

    [Fact]
    public void Decide_WholeSecondTriggerAndMillisecondSnapshotInSameSecond_ReturnsNotify()
    {
        var trigger = new DisconnectTrigger("t1", At);

        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At.Ms(999))));
    }

    [Fact]
    public void Decide_MillisecondTriggerAndWholeSecondSnapshotOfNextSecond_ReturnsSkipSuperseded()
    {
        var trigger = new DisconnectTrigger("t1", At.Ms(999));

        Assert.Equal(Verdict.SkipSuperseded, Decide(trigger, new ConnectionSnapshot(false, At.AddSeconds(1))));
    }

    [Fact]
    public void Decide_BothMillisecondsOneMillisecondApart_ComparesAtMilliseconds()
    {
        var trigger = new DisconnectTrigger("t1", At.Ms(450));

        Assert.Equal(Verdict.SkipSuperseded, Decide(trigger, new ConnectionSnapshot(false, At.Ms(451))));
        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At.Ms(449))));
    }

    [Fact]
    public void Decide_EqualTimestampsAndNewerSnapshotVersion_ReturnsSkipSuperseded()
    {
        var trigger = new DisconnectTrigger("t1", At, Version: 3);

        Assert.Equal(Verdict.SkipSuperseded, Decide(trigger, new ConnectionSnapshot(false, At, Version: 4)));
    }

    [Theory]
    [InlineData(3L)]
    [InlineData(2L)]
    [InlineData(null)]
    public void Decide_EqualTimestampsAndSameOlderOrMissingSnapshotVersion_ReturnsNotify(long? snapshotVersion)
    {
        var trigger = new DisconnectTrigger("t1", At, Version: 3);

        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At, snapshotVersion)));
    }

    [Fact]
    public void Decide_EqualTimestampsAndTriggerWithoutVersion_ReturnsNotify()
    {
        var trigger = new DisconnectTrigger("t1", At);

        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At, Version: 99)));
    }

    [Fact]
    public void Decide_EqualCoarseTimestampsAndNewerSnapshotVersion_ReturnsSkipSuperseded()
    {
        // Same second once the millisecond trigger is compared with the whole-second snapshot: the version decides.
        var trigger = new DisconnectTrigger("t1", At.Ms(451), Version: 3);

        Assert.Equal(Verdict.SkipSuperseded, Decide(trigger, new ConnectionSnapshot(false, At, Version: 4)));
        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At, Version: 3)));
    }

    [Fact]
    public void Decide_NewerSnapshotVersionButTimestampASecondOlder_ReturnsSkipSuperseded()
    {
        // Lifecycle timestamps are only good to about 2 minutes; within a connection's recent history the version decides.
        var trigger = new DisconnectTrigger("t1", At, Version: 3);

        Assert.Equal(Verdict.SkipSuperseded, Decide(trigger, new ConnectionSnapshot(false, At.AddSeconds(-1), Version: 10)));
    }

    [Fact]
    public void Decide_OlderSnapshotVersionButTimestampAMinuteNewer_ReturnsNotify()
    {
        var trigger = new DisconnectTrigger("t1", At, Version: 3);

        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At.AddMinutes(1), Version: 2), At.AddHours(1)));
    }

    [Fact]
    public void Decide_NewerSnapshotVersionButTimestampBeyondTheVersionWindow_ReturnsNotify()
    {
        // An hour apart a version may have reset, so the timestamps decide.
        var trigger = new DisconnectTrigger("t1", At, Version: 3);

        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At.AddHours(-1), Version: 10)));
    }

    [Fact]
    public void Decide_VersionResetWithNewerTimestamp_ReturnsSkipSuperseded()
    {
        // After about an hour offline lifecycle versions may reset to 0: the newer timestamp still wins.
        var trigger = new DisconnectTrigger("t1", At, Version: 41);

        Assert.Equal(Verdict.SkipSuperseded, Decide(trigger, new ConnectionSnapshot(false, At.AddHours(2), Version: 0)));
    }

    [Fact]
    public void Decide_SameInstantInDifferentOffsets_ReturnsNotify()
    {
        var trigger = new DisconnectTrigger("t1", At.ToOffset(TimeSpan.FromHours(9)));

        Assert.Equal(Verdict.Notify, Decide(trigger, new ConnectionSnapshot(false, At.ToOffset(TimeSpan.FromHours(-5)))));
    }

    [Fact]
    public void Decide_NegativeGrace_Throws()
    {
        var trigger = new DisconnectTrigger("t1", At);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => GracePeriodDecision.Decide(trigger, new ConnectionSnapshot(false, At), Due, TimeSpan.FromTicks(-1)));
        Assert.Equal("gracePeriod", exception.ParamName);
    }

    [Fact]
    public void Decide_DueAfterMaxValue_DoesNotThrowAndIsNotYetDue()
    {
        var trigger = new DisconnectTrigger("t1", DateTimeOffset.MaxValue.AddDays(-1));

        Assert.Equal(Verdict.NotYetDue, GracePeriodDecision.Decide(trigger, null, DateTimeOffset.MaxValue.AddTicks(-1), TimeSpan.FromDays(30)));
        Assert.Equal(Verdict.NotYetDue, GracePeriodDecision.Decide(trigger, null, Instants.Noon, TimeSpan.MaxValue));
    }

    [Fact]
    public void Decide_DueSaturatedAtMaxValue_IsDecidedAtMaxValue()
    {
        var trigger = new DisconnectTrigger("t1", DateTimeOffset.MaxValue.AddDays(-1));

        Assert.Equal(
            Verdict.Notify,
            GracePeriodDecision.Decide(trigger, new ConnectionSnapshot(false, trigger.DisconnectedAt), DateTimeOffset.MaxValue, TimeSpan.MaxValue));
    }

    [Fact]
    public void DueAt_AddsGraceAndReturnsUtc()
    {
        var trigger = new DisconnectTrigger("t1", At.ToOffset(TimeSpan.FromHours(9)));

        var due = GracePeriodDecision.DueAt(trigger, Grace);

        Assert.Equal(Due, due);
        Assert.Equal(TimeSpan.Zero, due.Offset);
    }

    [Fact]
    public void DueAt_Overflow_SaturatesAtMaxValue()
    {
        var trigger = new DisconnectTrigger("t1", DateTimeOffset.MaxValue.AddMinutes(-1));

        Assert.Equal(DateTimeOffset.MaxValue, GracePeriodDecision.DueAt(trigger, TimeSpan.FromMinutes(5)));
        Assert.Equal(DateTimeOffset.MaxValue, GracePeriodDecision.DueAt(trigger, TimeSpan.MaxValue));
    }

    [Fact]
    public void DueAt_NegativeGrace_Throws()
    {
        var trigger = new DisconnectTrigger("t1", At);

        Assert.Throws<ArgumentOutOfRangeException>(() => GracePeriodDecision.DueAt(trigger, TimeSpan.FromSeconds(-1)));
    }
}
