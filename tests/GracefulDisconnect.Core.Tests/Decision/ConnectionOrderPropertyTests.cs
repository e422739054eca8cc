using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Tests.Support;

namespace GracefulDisconnect.Tests.Decision;

/// <summary>
/// AWS lifecycle histories of one client, each event's timestamp off by up to ±2 minutes (what AWS documents),
/// with versions growing per connection and starting again from 0 after more than an hour offline.
/// </summary>
public class ConnectionOrderPropertyTests
{
    private const int MaxSkewMilliseconds = 120_000;

    /// <summary>One lifecycle event: its true place in the history and what the source stamped on it.</summary>
    public sealed record LifecycleEvent(int TrueOrder, long StampedTicks, long Version, bool Connected);

    /// <summary>A client's events in their true order.</summary>
    public sealed record History(IReadOnlyList<LifecycleEvent> Events)
    {
        public override string ToString() => string.Join(", ", Events.Select(e => $"#{e.TrueOrder} {(e.Connected ? "up" : "down")} v{e.Version} @{(e.StampedTicks - Instants.Noon.UtcTicks) / TimeSpan.TicksPerMillisecond}ms"));
    }

    public static class Arbitraries
    {
        public static Arbitrary<History> Histories() => Arb.From(
            from connections in Gen.Choose(1, 8)
            from sessions in Gen.ListOf(Session, connections)
            from skews in Gen.ListOf(Gen.Choose(-MaxSkewMilliseconds, MaxSkewMilliseconds), connections * 2)
            from firstVersion in Gen.Choose(0, 1000)
            select Build(sessions.ToArray(), skews.ToArray(), firstVersion));

        // How long the connection lasted, and how long the client then stayed offline (over an hour: the version resets).
        private static Gen<(int UpMilliseconds, int OfflineMilliseconds)> Session { get; } =
            from up in Gen.Frequency((3, Gen.Choose(0, 5_000)), (2, Gen.Choose(0, 30 * 60_000)))
            from offline in Gen.Frequency((3, Gen.Choose(0, 5_000)), (2, Gen.Choose(0, 50 * 60_000)), (1, Gen.Choose(65 * 60_000, 180 * 60_000)))
            select (up, offline);

        private static History Build((int UpMilliseconds, int OfflineMilliseconds)[] sessions, int[] skews, int firstVersion)
        {
            var events = new List<LifecycleEvent>();
            var at = Instants.Noon.UtcTicks;
            long version = firstVersion;
            for (var i = 0; i < sessions.Length; i++)
            {
                events.Add(new LifecycleEvent(events.Count, at + (skews[2 * i] * TimeSpan.TicksPerMillisecond), version, Connected: true));
                at += sessions[i].UpMilliseconds * TimeSpan.TicksPerMillisecond;
                events.Add(new LifecycleEvent(events.Count, at + (skews[(2 * i) + 1] * TimeSpan.TicksPerMillisecond), version, Connected: false));
                at += sessions[i].OfflineMilliseconds * TimeSpan.TicksPerMillisecond;
                version = sessions[i].OfflineMilliseconds > 60 * 60_000 ? 0 : version + 1;
            }

            return new History(events);
        }
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(Arbitraries)])]
    public void Compare_SkewedTimestamps_SortingRecoversTheTrueOrder(History history)
    {
        var shuffled = history.Events.Reverse().ToList();

        shuffled.Sort(Compare);

        Assert.Equal(history.Events.Select(e => e.TrueOrder), shuffled.Select(e => e.TrueOrder));
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(Arbitraries)])]
    public void Compare_AnyTwoEvents_IsAntisymmetric(History history)
    {
        foreach (var a in history.Events)
        {
            foreach (var b in history.Events)
            {
                Assert.Equal(Math.Sign(Compare(a, b)), -Math.Sign(Compare(b, a)));
            }
        }
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(Arbitraries)])]
    public void Decide_SkewedTimestamps_LaterDisconnectSupersedesAndEarlierOrSameNotifies(History history)
    {
        var disconnects = history.Events.Where(e => !e.Connected).ToList();
        var now = DateTimeOffset.MaxValue;
        foreach (var trigger in disconnects)
        {
            foreach (var read in disconnects)
            {
                var verdict = GracePeriodDecision.Decide(
                    new DisconnectTrigger("t1", Utc(trigger.StampedTicks), trigger.Version),
                    new ConnectionSnapshot(false, Utc(read.StampedTicks), read.Version),
                    now,
                    TimeSpan.FromMinutes(5));

                Assert.Equal(read.TrueOrder > trigger.TrueOrder ? Verdict.SkipSuperseded : Verdict.Notify, verdict);
            }
        }
    }

    private static int Compare(LifecycleEvent a, LifecycleEvent b)
        => ConnectionOrder.Compare(a.StampedTicks, a.Version, a.Connected, b.StampedTicks, b.Version, b.Connected);

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
}
