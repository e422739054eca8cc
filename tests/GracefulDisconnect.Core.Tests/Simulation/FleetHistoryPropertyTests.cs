using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Tests.Simulation;

/// <summary>
/// Replays generated device histories and checks the decisions against an independent model of
/// what should happen, computed from the generated history alone.
/// </summary>
/// <remarks>
/// A generated device alternates between connected and disconnected. Its state changes are at least
/// one second apart in real time, and each is reported either in milliseconds (lifecycle events) or
/// truncated to whole seconds (shadow metadata); the model works on the reported times, as the
/// engine must. Each change is recorded one to three times (duplicated), each delivery with its own
/// arrival time (on time, late, after the device came back, hours late, out of order with others).
/// Lifecycle versions grow per connection and reset to 0 after an outage of over an hour.
/// </remarks>
public class FleetHistoryPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A state change as the source reports it.</summary>
    public sealed record Change(bool Connected, DateTimeOffset ReportedAt, long? Version);

    /// <summary>One delivery of a change: when it reached the monitor, if the recording says.</summary>
    public sealed record Delivery(int Change, DateTimeOffset? ReceivedAt);

    public sealed record Device(string Thing, IReadOnlyList<Change> Changes, IReadOnlyList<Delivery> Deliveries);

    /// <summary>A fleet, the grace period its flapping is generated around, a second grace period, and the recording in file order.</summary>
    public sealed record Fleet(TimeSpan Grace, TimeSpan OtherGrace, IReadOnlyList<Device> Devices, IReadOnlyList<ConnectionEvent> Recording)
    {
        public override string ToString()
        {
            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"grace {Grace}, other grace {OtherGrace}, {Recording.Count} events:");
            foreach (var e in Recording)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  {e.ThingName} {(e.Connected ? "connect" : "disconnect")} at {e.At:HH:mm:ss.fff} v{e.Version?.ToString(CultureInfo.InvariantCulture) ?? "-"} received {e.ReceivedAt?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-"}");
            }

            return text.ToString();
        }
    }

    public static class Arbitraries
    {
        public static Arbitrary<Fleet> Fleets() => Arb.From(
            from graceMs in Gen.Frequency(
                (3, Gen.Choose(1, 20).Select(s => s * 1000)),
                (2, Gen.Choose(1000, 120_000)),
                (1, Gen.Choose(1, 10).Select(m => m * 60_000)))
            from otherGraceMs in Gen.Choose(1000, 600_000)
            from deviceCount in Gen.Choose(1, 4)
            from devices in Gen.CollectToList(Enumerable.Range(0, deviceCount), i => DeviceGen($"t{i}", graceMs))
            from recording in Gen.Shuffle(devices.SelectMany(ToEvents))
            select new Fleet(TimeSpan.FromMilliseconds(graceMs), TimeSpan.FromMilliseconds(otherGraceMs), devices, recording));

        private static Gen<Device> DeviceGen(string thing, int graceMs) =>
            from changeCount in Gen.Choose(1, 10)
            from startsConnected in Gen.Elements(true, false)
            from firstMs in Gen.Choose(0, 3_600_000)
            from outageMs in Gen.ListOf(OutageLength(graceMs), changeCount)
            from onlineMs in Gen.ListOf(Gen.Choose(1000, 600_000), changeCount)
            from wholeSeconds in Gen.ListOf(Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true))), changeCount)
            from versionMode in Gen.Choose(0, 2)
            from versionShown in Gen.ListOf(Gen.Elements(true, false), changeCount)
            let changes = Changes(startsConnected, firstMs, outageMs, onlineMs, wholeSeconds, versionMode, versionShown)
            from deliveries in Gen.CollectToList(Enumerable.Range(0, changes.Count), i => DeliveriesGen(i, changes[i], graceMs))
            select new Device(thing, changes, [.. deliveries.SelectMany(d => d)]);

        // Outage lengths cluster around the grace period (flapping), with short, long and over-an-hour ones.
        private static Gen<int> OutageLength(int graceMs) => Gen.Frequency(
            (3, Gen.Choose(-1500, 1500).Select(d => graceMs + d)),
            (1, Gen.Elements(graceMs, graceMs - 1, graceMs + 1)),
            (2, Gen.Choose(1000, Math.Max(1000, graceMs))),
            (2, Gen.Choose(graceMs, graceMs * 3)),
            (1, Gen.Choose(3_600_001, 10_800_000)))
            .Select(ms => Math.Max(1000, ms));

        private static List<Change> Changes(
            bool startsConnected, int firstMs, List<int> outageMs, List<int> onlineMs, List<bool> wholeSeconds, int versionMode, List<bool> versionShown)
        {
            var changes = new List<Change>();
            var trueTime = Start.AddMilliseconds(firstMs);
            long connection = 0;
            for (var i = 0; i < outageMs.Count; i++)
            {
                var connected = startsConnected == (i % 2 == 0);
                if (i > 0)
                {
                    var outage = !connected;
                    var gap = outage ? onlineMs[i] : outageMs[i];
                    trueTime = trueTime.AddMilliseconds(gap);

                    // A connect starts a new connection; after over an hour offline the counter resets.
                    if (connected)
                    {
                        connection = outageMs[i] > 3_600_000 ? 0 : connection + 1;
                    }
                }

                var reported = wholeSeconds[i] ? trueTime.AddTicks(-(trueTime.UtcTicks % TimeSpan.TicksPerSecond)) : trueTime;
                long? version = versionMode switch
                {
                    0 => null,
                    1 => connection,
                    _ => versionShown[i] ? connection : null,
                };
                changes.Add(new Change(connected, reported, version));
            }

            return changes;
        }

        // Once or duplicated; on time, a little late, around or past the grace period, or hours late. Every
        // change is in the recording (the state source knows it); one that "never reached the monitor in
        // time" is one whose only deliveries are hours late.
        private static Gen<IEnumerable<Delivery>> DeliveriesGen(int index, Change change, int graceMs) =>
            from count in change.Connected
                ? Gen.Frequency((4, Gen.Constant(1)), (1, Gen.Constant(2)))
                : Gen.Frequency((5, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3)))
            from delays in Gen.ListOf(
                Gen.Frequency(
                    (3, Gen.Constant<int?>(null)),
                    (2, Gen.Choose(0, 2000).Select(ms => (int?)ms)),
                    (2, Gen.Choose(Math.Max(0, graceMs - 2000), graceMs + 2000).Select(ms => (int?)ms)),
                    (1, Gen.Choose(graceMs, graceMs * 4).Select(ms => (int?)ms)),
                    (1, Gen.Choose(0, 7_200_000).Select(ms => (int?)ms)),
                    (1, Gen.Choose(10_800_000, 21_600_000).Select(ms => (int?)ms))),
                count)
            select delays.Select(d => new Delivery(index, d is { } ms ? change.ReportedAt.AddMilliseconds(ms) : null));

        private static IEnumerable<ConnectionEvent> ToEvents(Device device)
            => device.Deliveries.Select(d =>
            {
                var change = device.Changes[d.Change];
                return new ConnectionEvent(device.Thing, change.Connected, change.ReportedAt, change.Version, d.ReceivedAt);
            });
    }

    private sealed class CollectingSink : IReplaySink
    {
        public List<ReplayDecision> Decisions { get; } = [];

        public void OnDecision(in ReplayDecision decision) => Decisions.Add(decision);
    }

    private static List<ReplayDecision> Replay(FleetHistory history, TimeSpan grace)
    {
        var sink = new CollectingSink();
        history.Replay(grace, sink);
        return sink.Decisions;
    }

    /// <summary>An outage of the model: a disconnect change, until the next change (a connect) or forever.</summary>
    private sealed record Outage(string Thing, DateTimeOffset Begins, DateTimeOffset? Ends, IReadOnlyList<DateTimeOffset> Arrivals);

    private static IEnumerable<Outage> Outages(Fleet fleet)
        => fleet.Devices.SelectMany(device => device.Changes
            .Select((change, index) => (change, index))
            .Where(c => !c.change.Connected)
            .Select(c => new Outage(
                device.Thing,
                c.change.ReportedAt,
                c.index + 1 < device.Changes.Count ? device.Changes[c.index + 1].ReportedAt : null,
                [.. device.Deliveries.Where(d => d.Change == c.index).Select(d => d.ReceivedAt ?? c.change.ReportedAt)])));

    private static bool OfflineAt(Outage outage, DateTimeOffset time) => time >= outage.Begins && (outage.Ends is not { } ends || time < ends);

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void Replay_AnyHistory_NotifiesEachOutageLongerThanGraceWhoseDisconnectArrivedWhileOffline(Fleet fleet)
    {
        var history = FleetHistory.Create(fleet.Recording);

        foreach (var grace in new[] { fleet.Grace, fleet.OtherGrace })
        {
            var decisions = Replay(history, grace);

            // Exactly one notification for every outage that outlasted the grace period and whose
            // disconnect reached the monitor while the device was still offline; decided at
            // max(start + grace, first arrival). None for any other outage.
            var expected = Outages(fleet)
                .Where(o => o.Arrivals.Count > 0 && (o.Ends is not { } ends || (o.Begins + grace < ends && o.Arrivals.Min() < ends)))
                .Select(o => (o.Thing, o.Begins, DecidedAt: Max(o.Begins + grace, o.Arrivals.Min())))
                .OrderBy(n => n.Thing, StringComparer.Ordinal).ThenBy(n => n.Begins)
                .ToList();
            var notified = decisions
                .Where(d => d.Result == RecheckResult.Notified)
                .Select(d => (Thing: d.ThingName, Begins: d.OfflineSince, d.DecidedAt))
                .OrderBy(n => n.Thing, StringComparer.Ordinal).ThenBy(n => n.Begins)
                .ToList();
            Assert.Equal(expected, notified);

            // Never while connected, never before the grace period is over.
            foreach (var notification in decisions.Where(d => d.Result == RecheckResult.Notified))
            {
                var outage = Outages(fleet).Single(o => o.Thing == notification.ThingName && o.Begins == notification.OfflineSince);
                Assert.True(OfflineAt(outage, notification.DecidedAt), $"{notification} is not inside its outage");
                Assert.True(notification.DecidedAt - notification.OfflineSince >= grace, $"{notification} is before the grace period ended");
                Assert.Equal(grace, notification.GracePeriod);
            }
        }
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void Replay_AnyHistory_DecidesEveryDeliveredDisconnectOnceAsTheModelSays(Fleet fleet)
    {
        var history = FleetHistory.Create(fleet.Recording);
        var decisions = Replay(history, fleet.Grace);
        var grace = fleet.Grace;

        // Every delivered disconnect is re-checked once, at max(its time + grace, its arrival), and the
        // verdict follows from the state at that moment: the latest change reported at or before it.
        var expected = new List<(string Thing, RecheckResult Result, DateTimeOffset OfflineSince, DateTimeOffset DecidedAt)>();
        foreach (var device in fleet.Devices)
        {
            var rechecks = device.Deliveries
                .Where(d => !device.Changes[d.Change].Connected)
                .Select(d => (d.Change, DecidedAt: Max(device.Changes[d.Change].ReportedAt + grace, d.ReceivedAt ?? device.Changes[d.Change].ReportedAt)))
                .OrderBy(r => r.DecidedAt)
                .ToList();
            var notifiedChanges = new HashSet<int>();
            foreach (var (change, decidedAt) in rechecks)
            {
                var state = device.Changes.Select((c, i) => (c, i)).Last(x => x.c.ReportedAt <= decidedAt);
                var result = state.c.Connected ? RecheckResult.SkippedReconnected
                    : state.i != change ? RecheckResult.SkippedSuperseded
                    : notifiedChanges.Add(change) ? RecheckResult.Notified
                    : RecheckResult.SkippedDuplicate;
                expected.Add((device.Thing, result, device.Changes[change].ReportedAt, decidedAt));
            }
        }

        var actual = decisions.Select(d => (d.ThingName, d.Result, d.OfflineSince, d.DecidedAt));
        Assert.Equal(Sorted(expected), Sorted(actual));
        Assert.All(decisions, d => Assert.Equal(grace, d.GracePeriod));

        // Decisions come out in virtual-time order.
        Assert.Equal(decisions.Select(d => d.DecidedAt).Order(), decisions.Select(d => d.DecidedAt));
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(Arbitraries)])]
    public void Replay_SameHistoryTwice_IsDeterministic(Fleet fleet)
    {
        var history = FleetHistory.Create(fleet.Recording);

        var first = Replay(history, fleet.Grace);
        _ = Replay(history, fleet.OtherGrace);
        var again = Replay(history, fleet.Grace);

        Assert.Equal(first, again);
        Assert.Equal(fleet.Recording.Count, history.EventCount);
        Assert.Equal(fleet.Recording.Select(e => e.ThingName).Distinct().Count(), history.ThingCount);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static List<(string, RecheckResult, DateTimeOffset, DateTimeOffset)> Sorted(IEnumerable<(string Thing, RecheckResult Result, DateTimeOffset OfflineSince, DateTimeOffset DecidedAt)> decisions)
        => [.. decisions.OrderBy(d => d.Thing, StringComparer.Ordinal).ThenBy(d => d.DecidedAt).ThenBy(d => d.OfflineSince).ThenBy(d => d.Result)];
}
