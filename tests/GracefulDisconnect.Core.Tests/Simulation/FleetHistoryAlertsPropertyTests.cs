using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GracefulDisconnect.Simulation;

namespace GracefulDisconnect.Tests.Simulation;

/// <summary>
/// Replays generated histories with the opt-in alerts switched on and checks them against independent models
/// computed from the generated history alone (and, for recoveries and reminders, the notify decisions, which
/// <see cref="FleetHistoryPropertyTests"/> checks on their own).
/// </summary>
/// <remarks>
/// As in <see cref="FleetHistoryPropertyTests"/>: a device alternates between connected and disconnected, its
/// changes at least a second apart in real time, each reported in milliseconds or truncated to whole seconds,
/// recorded one to three times, each delivery on time, late, hours late or out of order. Devices are named
/// <c>s{site}-d{n}</c> so that digests can group by prefix, and their first change is often within a minute of
/// the others' (a storm).
/// </remarks>
public class FleetHistoryAlertsPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public sealed record Change(bool Connected, DateTimeOffset ReportedAt, long? Version);

    public sealed record Delivery(int Change, DateTimeOffset? ReceivedAt);

    public sealed record Device(string Thing, IReadOnlyList<Change> Changes, IReadOnlyList<Delivery> Deliveries);

    public sealed record Fleet(TimeSpan Grace, IReadOnlyList<Device> Devices, IReadOnlyList<ConnectionEvent> Recording)
    {
        public override string ToString() => Describe($"grace {Grace}", Recording);
    }

    /// <summary>A fleet with a flap threshold whose disconnects reach the monitor in source-time order.</summary>
    public sealed record FlapFleet(TimeSpan Grace, FlapThreshold Flap, IReadOnlyList<ConnectionEvent> Recording)
    {
        public override string ToString() => Describe($"grace {Grace}, flap {Flap}", Recording);
    }

    public sealed record DigestCase(Fleet Fleet, DigestThreshold Digest, bool ByPrefix)
    {
        public override string ToString() => $"digest {Digest}{(ByPrefix ? " by prefix" : string.Empty)}, {Fleet}";
    }

    public sealed record ReminderCase(Fleet Fleet, TimeSpan Every, int? Max)
    {
        public override string ToString() => $"remind every {Every} max {Max?.ToString(CultureInfo.InvariantCulture) ?? "-"}, {Fleet}";
    }

    private static string Describe(string settings, IReadOnlyList<ConnectionEvent> recording)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{settings}, {recording.Count} events:");
        foreach (var e in recording)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {e.ThingName} {(e.Connected ? "connect" : "disconnect")} at {e.At:HH:mm:ss.fff} v{e.Version?.ToString(CultureInfo.InvariantCulture) ?? "-"} received {e.ReceivedAt?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-"}");
        }

        return text.ToString();
    }

    public static class Arbitraries
    {
        public static Arbitrary<Fleet> Fleets() => Arb.From(FleetGen(maxDevices: 4));

        public static Arbitrary<DigestCase> DigestCases() => Arb.From(
            from fleet in FleetGen(minDevices: 3, maxDevices: 16, stormWeight: 3)
            from windowSeconds in Gen.Frequency((2, Gen.Choose(1, 30)), (2, Gen.Choose(31, 600)))
            from min in Gen.Frequency((3, Gen.Choose(2, 3)), (1, Gen.Choose(4, 8)))
            from byPrefix in Gen.Elements(false, true)
            select new DigestCase(fleet, new DigestThreshold(TimeSpan.FromSeconds(windowSeconds), min), byPrefix));

        public static Arbitrary<ReminderCase> ReminderCases() => Arb.From(
            from fleet in FleetGen(maxDevices: 4)
            from everySeconds in Gen.Frequency((2, Gen.Choose(60, 120)), (2, Gen.Choose(121, 1800)))
            from max in everySeconds < 90 ? Gen.Choose(1, 6).Select(m => (int?)m) : Gen.Frequency((1, Gen.Constant<int?>(null)), (2, Gen.Choose(1, 6).Select(m => (int?)m)))
            select new ReminderCase(fleet, TimeSpan.FromSeconds(everySeconds), max));

        public static Arbitrary<FlapFleet> FlapFleets() => Arb.From(
            from graceSeconds in Gen.Choose(1, 120)
            from count in Gen.Choose(2, 5)
            from windowSeconds in Gen.Frequency((2, Gen.Choose(1, 30)), (2, Gen.Choose(31, 1800)))
            from deviceCount in Gen.Choose(1, 3)
            from devices in Gen.CollectToList(Enumerable.Range(0, deviceCount), i => FlappingDeviceGen($"t{i}", windowSeconds * 1000, count))
            from recording in Gen.Shuffle(devices.SelectMany(d => d))
            select new FlapFleet(TimeSpan.FromSeconds(graceSeconds), new FlapThreshold(count, TimeSpan.FromSeconds(windowSeconds)), recording));

        private static Gen<Fleet> FleetGen(int maxDevices, int minDevices = 1, int stormWeight = 1) =>
            from graceMs in Gen.Frequency((3, Gen.Choose(1, 20).Select(s => s * 1000)), (2, Gen.Choose(1000, 120_000)), (1, Gen.Choose(1, 10).Select(m => m * 60_000)))
            from deviceCount in Gen.Choose(minDevices, maxDevices)
            from storm in Gen.Frequency((stormWeight, Gen.Constant(true)), (1, Gen.Constant(false)))
            from devices in Gen.CollectToList(Enumerable.Range(0, deviceCount), i => DeviceGen($"s{i % 3}-d{i}", graceMs, storm))
            from recording in Gen.Shuffle(devices.SelectMany(ToEvents))
            select new Fleet(TimeSpan.FromMilliseconds(graceMs), devices, recording);

        private static Gen<Device> DeviceGen(string thing, int graceMs, bool storm) =>
            from changeCount in Gen.Choose(1, 8)
            from startsConnected in Gen.Frequency((1, Gen.Constant(true)), (storm ? 6 : 2, Gen.Constant(false)))
            from firstMs in storm ? Gen.Choose(0, 20_000) : Gen.Choose(0, 3_600_000)
            from outageMs in Gen.ListOf(OutageLength(graceMs), changeCount)
            from onlineMs in Gen.ListOf(Gen.Choose(1000, 600_000), changeCount)
            from wholeSeconds in Gen.ListOf(Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true))), changeCount)
            from withVersions in Gen.Elements(true, false)
            let changes = Changes(startsConnected, firstMs, outageMs, onlineMs, wholeSeconds, withVersions)
            from deliveries in Gen.CollectToList(Enumerable.Range(0, changes.Count), i => DeliveriesGen(i, changes[i], graceMs))
            select new Device(thing, changes, [.. deliveries.SelectMany(d => d)]);

        private static Gen<int> OutageLength(int graceMs) => Gen.Frequency(
            (3, Gen.Choose(-1500, 1500).Select(d => graceMs + d)),
            (2, Gen.Choose(1000, Math.Max(1000, graceMs))),
            (3, Gen.Choose(graceMs, graceMs * 4)),
            (1, Gen.Choose(3_600_001, 7_200_000)))
            .Select(ms => Math.Max(1000, ms));

        private static List<Change> Changes(bool startsConnected, int firstMs, List<int> outageMs, List<int> onlineMs, List<bool> wholeSeconds, bool withVersions)
        {
            var changes = new List<Change>();
            var trueTime = Start.AddMilliseconds(firstMs);
            long connection = 0;
            for (var i = 0; i < outageMs.Count; i++)
            {
                var connected = startsConnected == (i % 2 == 0);
                if (i > 0)
                {
                    trueTime = trueTime.AddMilliseconds(connected ? outageMs[i] : onlineMs[i]);
                    if (connected)
                    {
                        connection = outageMs[i] > 3_600_000 ? 0 : connection + 1;
                    }
                }

                var reported = wholeSeconds[i] ? trueTime.AddTicks(-(trueTime.UtcTicks % TimeSpan.TicksPerSecond)) : trueTime;
                changes.Add(new Change(connected, reported, withVersions ? connection : null));
            }

            return changes;
        }

        private static Gen<IEnumerable<Delivery>> DeliveriesGen(int index, Change change, int graceMs) =>
            from count in change.Connected
                ? Gen.Frequency((4, Gen.Constant(1)), (1, Gen.Constant(2)))
                : Gen.Frequency((5, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3)))
            from delays in Gen.ListOf(
                Gen.Frequency(
                    (4, Gen.Constant<int?>(null)),
                    (2, Gen.Choose(0, 2000).Select(ms => (int?)ms)),
                    (2, Gen.Choose(Math.Max(0, graceMs - 2000), graceMs + 2000).Select(ms => (int?)ms)),
                    (1, Gen.Choose(graceMs, graceMs * 4).Select(ms => (int?)ms)),
                    (1, Gen.Choose(0, 7_200_000).Select(ms => (int?)ms))),
                count)
            select delays.Select(d => new Delivery(index, d is { } ms ? change.ReportedAt.AddMilliseconds(ms) : null));

        private static IEnumerable<ConnectionEvent> ToEvents(Device device)
            => device.Deliveries.Select(d =>
            {
                var change = device.Changes[d.Change];
                return new ConnectionEvent(device.Thing, change.Connected, change.ReportedAt, change.Version, d.ReceivedAt);
            });

        // Disconnects with gaps around the flap window (short, just under, exactly, just over, long), each followed by
        // a connect half a second later in real time; each reported in ms or whole seconds, disconnects delivered one
        // to three times. Every event is delivered at its own time plus the device's constant delay: in order.
        private static Gen<List<ConnectionEvent>> FlappingDeviceGen(string thing, int windowMs, int count) =>
            from disconnects in Gen.Choose(1, 4 * count)
            from gaps in Gen.ListOf(
                Gen.Frequency(
                    (6, Gen.Choose(1000, Math.Max(1000, windowMs / count))),
                    (2, Gen.Choose(1000, windowMs + 2000)),
                    (2, Gen.Elements(windowMs - 1000, windowMs, windowMs + 1000)),
                    (1, Gen.Choose(windowMs, windowMs * 3)))
                    .Select(ms => Math.Max(1000, ms)),
                disconnects)
            from jitterMs in Gen.ListOf(Gen.Choose(0, 999), disconnects)
            from wholeSeconds in Gen.ListOf(Gen.Elements(false, true), disconnects)
            from copies in Gen.ListOf(Gen.Frequency((4, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3))), disconnects)
            from delayMs in Gen.Frequency((2, Gen.Constant<int?>(null)), (1, Gen.Choose(0, 60_000).Select(ms => (int?)ms)))
            select FlappingEvents(thing, gaps, jitterMs, wholeSeconds, copies, delayMs);

        private static List<ConnectionEvent> FlappingEvents(string thing, List<int> gaps, List<int> jitterMs, List<bool> wholeSeconds, List<int> copies, int? delayMs)
        {
            var events = new List<ConnectionEvent>();
            var trueTime = Start;
            for (var i = 0; i < gaps.Count; i++)
            {
                // Whole-second gaps, jittered in ms only when reported in ms: whole-second reports land exactly a window apart.
                trueTime = trueTime.AddMilliseconds(gaps[i] - (gaps[i] % 1000));
                var down = wholeSeconds[i] ? trueTime : trueTime.AddMilliseconds(jitterMs[i] / 2);
                var up = trueTime.AddMilliseconds(500 + (jitterMs[i] / 2));
                for (var c = 0; c < copies[i]; c++)
                {
                    events.Add(new ConnectionEvent(thing, false, down, null, delayMs is { } d ? down.AddMilliseconds(d) : null));
                }

                events.Add(new ConnectionEvent(thing, true, up, null, delayMs is { } e ? up.AddMilliseconds(e) : null));
            }

            return events;
        }
    }

    private sealed class CollectingSink : IReplaySink
    {
        public List<object> All { get; } = [];

        public IEnumerable<ReplayDecision> Decisions => All.OfType<ReplayDecision>();

        public IEnumerable<ReplayNotification> Of(NotificationKind kind) => All.OfType<ReplayNotification>().Where(n => n.Kind == kind);

        public void OnDecision(in ReplayDecision decision) => All.Add(decision);

        public void OnNotification(in ReplayNotification notification) => All.Add(notification);
    }

    private static CollectingSink Replay(IReadOnlyList<ConnectionEvent> recording, TimeSpan grace, GracefulDisconnectOptions alerts)
    {
        var sink = new CollectingSink();
        FleetHistory.Create(recording).Replay(grace, alerts, sink);
        return sink;
    }

    // ---- (a) flapping ----

    [Property(MaxTest = 200, Arbitrary = [typeof(Arbitraries)])]
    public void Replay_InOrderFlappingWithDuplicates_ExactlyOneFlappingPerEpisode(FlapFleet fleet)
    {
        var sink = Replay(fleet.Recording, fleet.Grace, new GracefulDisconnectOptions { Alerts = { Flapping = fleet.Flap } });

        // The model: per device, its distinct disconnect times in order. An episode ends at a gap of at least a
        // window; it starts at the first disconnect (outside an episode) with at least N distinct disconnects in
        // (it - window, it].
        var window = fleet.Flap.Window;
        var expected = new List<(string Thing, DateTimeOffset At)>();
        foreach (var device in fleet.Recording.GroupBy(e => e.ThingName))
        {
            var times = device.Where(e => !e.Connected).Select(e => e.At).Distinct().Order().ToList();
            var inEpisode = false;
            for (var i = 0; i < times.Count; i++)
            {
                if (i > 0 && times[i] - times[i - 1] >= window)
                {
                    inEpisode = false;
                }

                var inWindow = times.Take(i + 1).Count(t => t > times[i] - window);
                if (!inEpisode && inWindow >= fleet.Flap.Disconnects)
                {
                    inEpisode = true;
                    expected.Add((device.Key, times[i]));
                }
            }
        }

        var flappings = sink.Of(NotificationKind.Flapping).ToList();
        Assert.Equal(
            expected.OrderBy(f => f.Thing, StringComparer.Ordinal).ThenBy(f => f.At),
            flappings.Select(f => (f.ThingName, f.OfflineSince)).OrderBy(f => f.ThingName, StringComparer.Ordinal).ThenBy(f => f.OfflineSince));
        Assert.All(flappings, f => Assert.Equal(fleet.Flap.Disconnects, f.Disconnects));

        // Sent when the disconnect that makes the episode arrives.
        Assert.All(flappings, f => Assert.Equal(
            fleet.Recording.Where(e => e.ThingName == f.ThingName && !e.Connected && e.At == f.OfflineSince).Min(e => e.ReceivedAt ?? e.At),
            f.DecidedAt));
    }

    [Property(MaxTest = 150, Arbitrary = [typeof(Arbitraries)])]
    public void Replay_AnyDeliveryOrder_FlappingOnlyAfterEnoughDistinctDisconnectsAndDecisionsUnchanged(Fleet fleet)
    {
        var flap = new FlapThreshold(2, TimeSpan.FromMinutes(10));
        var plain = Replay(fleet.Recording, fleet.Grace, new GracefulDisconnectOptions());
        var sink = Replay(fleet.Recording, fleet.Grace, new GracefulDisconnectOptions { Alerts = { Flapping = flap, NotifyRecovery = true } });

        Assert.Equal(plain.Decisions, sink.Decisions);
        foreach (var flapping in sink.Of(NotificationKind.Flapping))
        {
            // The disconnect it names was delivered by then, with another distinct one within the window of it.
            var delivered = fleet.Recording.Where(e => e.ThingName == flapping.ThingName && !e.Connected && (e.ReceivedAt ?? e.At) <= flapping.DecidedAt).ToList();
            Assert.Contains(delivered, e => e.At == flapping.OfflineSince);
            Assert.Contains(delivered, e => e.At != flapping.OfflineSince && (e.At - flapping.OfflineSince).Duration() < flap.Window);
        }
    }

    // ---- (b) digests ----

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void Replay_Digest_NeverLosesNorDuplicatesANotification(DigestCase digestCase)
    {
        var fleet = digestCase.Fleet;
        var group = digestCase.ByPrefix ? DigestGroups.NamePrefix() : DigestGroups.All;
        var plain = Replay(fleet.Recording, fleet.Grace, new GracefulDisconnectOptions());
        var sink = Replay(fleet.Recording, fleet.Grace, new GracefulDisconnectOptions { Alerts = { Digest = digestCase.Digest, DigestGroup = group } });

        // Every decision, folded or not, exactly as without digests (as a multiset: notifies are released late).
        Assert.Equal(Sorted(plain.Decisions), Sorted(sink.Decisions.Select(d => d with { FoldedIntoDigest = false })));
        Assert.DoesNotContain(sink.Decisions, d => d.FoldedIntoDigest && d.Result != RecheckResult.Notified);

        // Folded decisions come in a run right before their digest, which lists exactly their devices.
        var run = new List<ReplayDecision>();
        var folded = 0;
        foreach (var item in sink.All)
        {
            if (item is ReplayDecision { FoldedIntoDigest: true } decision)
            {
                run.Add(decision);
                folded++;
                continue;
            }

            if (item is ReplayNotification { Kind: NotificationKind.Digest } digest)
            {
                Assert.NotEmpty(run);
                Assert.Equal(run.Select(d => d.ThingName).Distinct(), digest.Things!);
                Assert.True(digest.Things!.Count >= digestCase.Digest.MinThings, $"{digest.ThingName}: {digest.Things!.Count} things");
                Assert.All(run, d => Assert.Equal(digest.ThingName, group(d.ThingName)));
                Assert.All(run, d => Assert.InRange(d.DecidedAt, digest.DecidedAt - digestCase.Digest.Window, digest.DecidedAt.AddTicks(-1)));
                Assert.Equal(run.Min(d => d.OfflineSince), digest.OfflineSince);
                run.Clear();
                continue;
            }

            Assert.Empty(run);
        }

        Assert.Empty(run);
        Assert.Equal(folded, sink.Of(NotificationKind.Digest).Sum(d => d.Things!.Count) + DuplicatesWithinDigests(sink));
        Assert.Equal(plain.Decisions.Count(d => d.Result == RecheckResult.Notified), sink.Decisions.Count(d => d.Result == RecheckResult.Notified));
    }

    // A device notified twice in one window is listed once in its digest.
    private static int DuplicatesWithinDigests(CollectingSink sink)
    {
        var duplicates = 0;
        var run = new List<string>();
        foreach (var item in sink.All)
        {
            if (item is ReplayDecision { FoldedIntoDigest: true } decision)
            {
                run.Add(decision.ThingName);
            }
            else if (item is ReplayNotification { Kind: NotificationKind.Digest })
            {
                duplicates += run.Count - run.Distinct().Count();
                run.Clear();
            }
        }

        return duplicates;
    }

    // ---- (c) recoveries ----

    [Property(MaxTest = 200, Arbitrary = [typeof(Arbitraries)])]
    public void Replay_Recovery_FollowsOnlyANotifiedOutageOnceAsTheModelSays(Fleet fleet)
    {
        var sink = Replay(fleet.Recording, fleet.Grace, new GracefulDisconnectOptions { Alerts = { NotifyRecovery = true } });

        // Soundness, in the order the sink saw them: a recovery comes after the notify of its outage, at most once.
        var notified = new HashSet<(string, DateTimeOffset)>();
        var recovered = new HashSet<(string, DateTimeOffset)>();
        foreach (var item in sink.All)
        {
            if (item is ReplayDecision { Result: RecheckResult.Notified } decision)
            {
                notified.Add((decision.ThingName, decision.OfflineSince));
            }
            else if (item is ReplayNotification { Kind: NotificationKind.Recovered } recovery)
            {
                Assert.Contains((recovery.ThingName, recovery.OfflineSince), notified);
                Assert.True(recovered.Add((recovery.ThingName, recovery.OfflineSince)), $"second recovery for {recovery}");
                Assert.True(recovery.OfflineFor > TimeSpan.Zero, $"{recovery}");
                Assert.Equal(recovery.OfflineSince + recovery.OfflineFor, recovery.RecoveredAt);
            }
        }

        // Completeness: the model. After the notify decision D of an outage starting at s, the first delivery
        // (arrival order, file order at equal arrivals) after D of an event of the device newer than s decides:
        // a connect is the recovery (at its arrival, recovered at its time), a disconnect closes it silently.
        var deliveries = fleet.Recording.Select((e, index) => (e, index, Arrival: e.ReceivedAt ?? e.At)).OrderBy(d => d.Arrival).ThenBy(d => d.index).ToList();
        var expected = new List<(string, DateTimeOffset, DateTimeOffset?, DateTimeOffset)>();
        foreach (var notify in sink.Decisions.Where(d => d.Result == RecheckResult.Notified))
        {
            var next = deliveries.FirstOrDefault(d => d.e.ThingName == notify.ThingName && d.Arrival > notify.DecidedAt && d.e.At > notify.OfflineSince);
            if (next.e is { Connected: true } connect)
            {
                expected.Add((notify.ThingName, notify.OfflineSince, connect.At, next.Arrival));
            }
        }

        var actual = sink.Of(NotificationKind.Recovered).Select(r => (r.ThingName, r.OfflineSince, r.RecoveredAt, r.DecidedAt));
        Assert.Equal(expected.Order(), actual.Order());
    }

    // ---- (d) reminders ----

    [Property(MaxTest = 200, Arbitrary = [typeof(Arbitraries)])]
    public void Replay_Reminders_EveryIntervalWhileStillOfflineAtMostMax(ReminderCase reminderCase)
    {
        var fleet = reminderCase.Fleet;
        var every = reminderCase.Every;
        var sink = Replay(fleet.Recording, fleet.Grace, new GracefulDisconnectOptions { Alerts = { ReminderInterval = every, MaxReminders = reminderCase.Max, NotifyRecovery = true } });
        var lastRecorded = fleet.Recording.Max(e => e.ReceivedAt is { } r && r > e.At ? r : e.At);
        var notifies = sink.Decisions.Where(d => d.Result == RecheckResult.Notified).ToList();

        // Soundness: each reminder belongs to a notified outage, at notify + k * interval, numbered k <= max,
        // the state source still showing that outage then, and after its notify in the sink's order.
        foreach (var reminder in sink.Of(NotificationKind.Reminder))
        {
            var notify = Assert.Single(notifies, d => d.ThingName == reminder.ThingName && d.OfflineSince == reminder.OfflineSince);
            Assert.InRange(reminder.Reminder, 1, reminderCase.Max ?? int.MaxValue);
            Assert.Equal(notify.DecidedAt + (every * reminder.Reminder), reminder.DecidedAt);
            Assert.Equal(reminder.DecidedAt - reminder.OfflineSince, reminder.OfflineFor);
            Assert.True(StillTheSameOutage(fleet, reminder.ThingName, reminder.OfflineSince, reminder.DecidedAt), $"{reminder}");
            Assert.True(sink.All.IndexOf(notify) < sink.All.IndexOf(reminder));
        }

        // Completeness: the model, per notified outage, reminder k at t = D + k * interval while k <= max (or, without a
        // maximum, t is within the recording), no event newer than the outage arrived in (D, t] and the state at t is
        // still the outage.
        var expected = new List<(string, DateTimeOffset, int, DateTimeOffset)>();
        foreach (var notify in notifies)
        {
            for (var k = 1; k <= (reminderCase.Max ?? int.MaxValue); k++)
            {
                var at = notify.DecidedAt + (every * k);
                var closed = fleet.Recording.Any(e => e.ThingName == notify.ThingName && e.At > notify.OfflineSince && (e.ReceivedAt ?? e.At) > notify.DecidedAt && (e.ReceivedAt ?? e.At) <= at);
                if ((reminderCase.Max is null && at > lastRecorded) || closed || !StillTheSameOutage(fleet, notify.ThingName, notify.OfflineSince, at))
                {
                    break;
                }

                expected.Add((notify.ThingName, notify.OfflineSince, k, at));
            }
        }

        var actual = sink.Of(NotificationKind.Reminder).Select(r => (r.ThingName, r.OfflineSince, r.Reminder, r.DecidedAt));
        Assert.Equal(expected.Order(), actual.Order());
    }

    // The latest change reported at or before the time is the disconnect that began the outage.
    private static bool StillTheSameOutage(Fleet fleet, string thing, DateTimeOffset offlineSince, DateTimeOffset at)
    {
        var device = fleet.Devices.Single(d => d.Thing == thing);
        var latest = device.Changes.LastOrDefault(c => c.ReportedAt <= at);
        return latest is { Connected: false } && latest.ReportedAt == offlineSince;
    }

    private static List<ReplayDecision> Sorted(IEnumerable<ReplayDecision> decisions)
        => [.. decisions.OrderBy(d => d.ThingName, StringComparer.Ordinal).ThenBy(d => d.DecidedAt).ThenBy(d => d.OfflineSince).ThenBy(d => d.Result)];
}
