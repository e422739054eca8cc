using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Decision;

public class GracePeriodDecisionPropertyTests
{
    /// <summary>One call of <see cref="GracePeriodDecision.Decide"/>: anything, anywhere in the calendar.</summary>
    public sealed record DecisionCase(DisconnectTrigger Trigger, ConnectionSnapshot? Snapshot, DateTimeOffset Now, TimeSpan Grace);

    /// <summary>
    /// One change seen by two sources: <see cref="Instant"/> has millisecond precision; either side may
    /// report it truncated to whole seconds. Both sides carry the same version, or one or both none.
    /// </summary>
    public sealed record SameChange(DateTimeOffset Instant, long? TriggerVersion, long? SnapshotVersion);

    public static class Arbitraries
    {
        public static Arbitrary<DecisionCase> DecisionCases() => Arb.From(
            from at in Gens.Instant
            from version in Gens.Version
            from hasSnapshot in Gen.Frequency((1, Gen.Constant(false)), (5, Gen.Constant(true)))
            from connected in Gen.Elements(true, false)
            from changedAt in Gen.OneOf(Gens.Instant, Gen.Constant(at), Gen.Choose(-2000, 2000).Select(ms => Shift(at, ms)))
            from snapshotVersion in Gens.Version
            from grace in Gens.Grace
            from now in Gen.OneOf(Gens.Instant, Gen.Choose(-2, 2).Select(d => ShiftTicks(GracePeriodDecision.DueAt(new DisconnectTrigger("t", at), grace), d)))
            select new DecisionCase(
                new DisconnectTrigger("t1", at, version),
                hasSnapshot ? new ConnectionSnapshot(connected, changedAt, snapshotVersion) : null,
                now,
                grace));

        public static Arbitrary<SameChange> SameChanges() => Arb.From(
            from ms in Gens.Int64(62_000_000_000_000, 65_000_000_000_000)
            from version in Gen.Choose(0, 1000)
            from shape in Gen.Choose(0, 3)
            select new SameChange(
                new DateTimeOffset(ms * TimeSpan.TicksPerMillisecond, TimeSpan.Zero),
                shape is 0 or 1 ? version : null,
                shape is 0 or 2 ? version : null));
    }

    private static DateTimeOffset Shift(DateTimeOffset value, int milliseconds)
        => ShiftTicks(value, milliseconds * TimeSpan.TicksPerMillisecond);

    private static DateTimeOffset ShiftTicks(DateTimeOffset value, long ticks)
        => new(Math.Clamp(value.UtcTicks + ticks, DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero);

    private static DateTimeOffset WholeSecond(DateTimeOffset value) => ShiftTicks(value, -(value.UtcTicks % TimeSpan.TicksPerSecond));

    [Property(MaxTest = 500, Arbitrary = [typeof(Arbitraries)])]
    public void Decide_NonNegativeGrace_NeverThrows(DecisionCase c)
    {
        var verdict = GracePeriodDecision.Decide(c.Trigger, c.Snapshot, c.Now, c.Grace);

        Assert.True(Enum.IsDefined(verdict));
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(Arbitraries)])]
    public void Decide_IsNotYetDue_IffNowIsBeforeDisconnectPlusGrace(DecisionCase c)
    {
        var verdict = GracePeriodDecision.Decide(c.Trigger, c.Snapshot, c.Now, c.Grace);

        // A due time past DateTimeOffset.MaxValue saturates: MaxValue itself is then the first decided instant.
        var due = Math.Min((decimal)c.Trigger.DisconnectedAt.UtcTicks + c.Grace.Ticks, DateTimeOffset.MaxValue.UtcTicks);
        Assert.Equal(c.Now.UtcTicks < due, verdict == Verdict.NotYetDue);
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(Arbitraries)])]
    public void Decide_ConnectedSnapshot_IsNeverNotify(DecisionCase c)
    {
        var connected = c.Snapshot is { } s ? s with { Connected = true } : new ConnectionSnapshot(true, c.Now);

        var verdict = GracePeriodDecision.Decide(c.Trigger, connected, c.Now, c.Grace);

        Assert.NotEqual(Verdict.Notify, verdict);
        Assert.Contains(verdict, new[] { Verdict.SkipReconnected, Verdict.NotYetDue });
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(Arbitraries)])]
    public void Decide_DueAndDisconnected_IsNotifyOrSuperseded(DecisionCase c)
    {
        var snapshot = c.Snapshot is { } s ? s with { Connected = false } : new ConnectionSnapshot(false, c.Trigger.DisconnectedAt);
        var now = DateTimeOffset.MaxValue;

        var verdict = GracePeriodDecision.Decide(c.Trigger, snapshot, now, c.Grace);

        var triggerSecond = c.Trigger.DisconnectedAt.UtcTicks / TimeSpan.TicksPerSecond;
        var snapshotSecond = snapshot.ChangedAt.UtcTicks / TimeSpan.TicksPerSecond;
        var versionsComparable = c.Trigger.Version is not null && snapshot.Version is not null
            && Math.Abs((decimal)snapshot.ChangedAt.UtcTicks - c.Trigger.DisconnectedAt.UtcTicks) < TimeSpan.FromMinutes(15).Ticks;
        if (versionsComparable)
        {
            // Within a connection's recent history the version decides; the same version is the same disconnect.
            Assert.Equal(snapshot.Version > c.Trigger.Version ? Verdict.SkipSuperseded : Verdict.Notify, verdict);
        }
        else if (snapshotSecond > triggerSecond)
        {
            Assert.Equal(Verdict.SkipSuperseded, verdict);
        }
        else if (snapshotSecond < triggerSecond)
        {
            Assert.Equal(Verdict.Notify, verdict);
        }
        else
        {
            Assert.Contains(verdict, new[] { Verdict.Notify, Verdict.SkipSuperseded });
        }
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(Arbitraries)])]
    public void Decide_SameChangeAtEitherResolution_IsAlwaysNotify(SameChange c)
    {
        var grace = TimeSpan.FromMinutes(5);
        var now = c.Instant + grace + TimeSpan.FromSeconds(1);
        foreach (var triggerAt in new[] { c.Instant, WholeSecond(c.Instant) })
        {
            foreach (var snapshotAt in new[] { c.Instant, WholeSecond(c.Instant) })
            {
                var verdict = GracePeriodDecision.Decide(
                    new DisconnectTrigger("t1", triggerAt, c.TriggerVersion),
                    new ConnectionSnapshot(false, snapshotAt, c.SnapshotVersion),
                    now,
                    grace);

                Assert.Equal(Verdict.Notify, verdict);
            }
        }
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(Arbitraries)])]
    public void Decide_SwappingWhichSideIsWholeSeconds_NeverTurnsNotifyIntoSuperseded(SameChange c, PositiveInt laterMilliseconds)
    {
        // Two distinct instants, each reported by one side in milliseconds and by the other in whole
        // seconds, then the other way round: the resolution must not decide the verdict.
        var grace = TimeSpan.FromMinutes(5);
        var first = c.Instant;
        var second = c.Instant.AddMilliseconds(laterMilliseconds.Get % 5000);
        var now = second + grace + TimeSpan.FromSeconds(1);

        foreach (var (triggerAt, snapshotAt) in new[] { (first, first), (second, first), (first, second) })
        {
            var msTrigger = GracePeriodDecision.Decide(
                new DisconnectTrigger("t1", triggerAt), new ConnectionSnapshot(false, WholeSecond(snapshotAt)), now, grace);
            var msSnapshot = GracePeriodDecision.Decide(
                new DisconnectTrigger("t1", WholeSecond(triggerAt)), new ConnectionSnapshot(false, snapshotAt), now, grace);

            if (snapshotAt <= triggerAt)
            {
                Assert.Equal(Verdict.Notify, msTrigger);
                Assert.Equal(Verdict.Notify, msSnapshot);
            }
            else
            {
                // A later change in the same second cannot be told apart at second resolution.
                var sameSecond = WholeSecond(triggerAt) == WholeSecond(snapshotAt);
                Assert.Equal(sameSecond ? Verdict.Notify : Verdict.SkipSuperseded, msTrigger);
                Assert.Equal(sameSecond ? Verdict.Notify : Verdict.SkipSuperseded, msSnapshot);
            }
        }
    }
}
