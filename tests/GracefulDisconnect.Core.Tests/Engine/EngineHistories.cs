using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using GracefulDisconnect.Engine;
using GracefulDisconnect.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GracefulDisconnect.Tests.Engine;

/// <summary>A state change of one device as its source reports it (milliseconds, or truncated to whole seconds).</summary>
public sealed record Change(bool Connected, DateTimeOffset ReportedAt, long? Version);

/// <summary>A device's changes, alternating, at least a second apart in real time.</summary>
public sealed record DeviceHistory(string Thing, IReadOnlyList<Change> Changes);

/// <summary>One event of the recording: a delivery of change <paramref name="Change"/> of its device (its <see cref="ConnectionEvent.ReceivedAt"/> is the arrival).</summary>
public sealed record Arrival(ConnectionEvent Event, int Change);

/// <summary>The engine is down from <paramref name="From"/> to <paramref name="To"/>: what arrives meanwhile is handed over at <paramref name="To"/>, in one batch.</summary>
public sealed record Downtime(DateTimeOffset From, DateTimeOffset To);

/// <summary>A generated fleet history and how the live engine runs through it.</summary>
public sealed record Scenario(
    TimeSpan Grace,
    bool NotifyRecovery,
    TimeSpan? ReminderInterval,
    int? MaxReminders,
    IReadOnlyList<DeviceHistory> Devices,
    IReadOnlyList<Arrival> Recording,
    IReadOnlyList<DateTimeOffset> Restarts,
    IReadOnlyList<Downtime> Downtimes)
{
    /// <summary>Recovery hysteresis (<see cref="GracefulDisconnectOptions.StableFor"/>), if on.</summary>
    public TimeSpan? StableFor { get; init; }

    public override string ToString()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"grace {Grace}, recovery {NotifyRecovery}, stable for {StableFor?.ToString() ?? "-"}, remind {ReminderInterval?.ToString() ?? "-"} max {MaxReminders?.ToString(CultureInfo.InvariantCulture) ?? "-"}, {Recording.Count} events:");
        foreach (var (e, change) in Recording)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {e.ThingName} #{change} {(e.Connected ? "connect" : "disconnect")} at {e.At:HH:mm:ss.fff} v{e.Version?.ToString(CultureInfo.InvariantCulture) ?? "-"} received {e.ReceivedAt:HH:mm:ss.fff}");
        }

        foreach (var restart in Restarts)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  restart at {restart:HH:mm:ss.fff}");
        }

        foreach (var down in Downtimes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  down {down.From:HH:mm:ss.fff} to {down.To:HH:mm:ss.fff}");
        }

        return text.ToString();
    }
}

/// <summary>
/// Generates device histories for the engine's property tests: flapping around the grace period, duplicates (also the
/// same change once in milliseconds and once in whole seconds), out-of-order, late and hours-late delivery, lifecycle
/// versions that reset after an hour offline, restarts and downtimes. At most 5 devices and 40 events.
/// </summary>
internal static class EngineHistories
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const int MaxEvents = 40;

    public static Gen<Scenario> Scenarios(bool downtimes, bool reminders, bool coarseReconnects = true, bool stableFor = false, bool coarseDisconnects = true) =>
        from graceMs in Gen.Frequency(
            (3, Gen.Choose(1, 20).Select(s => s * 1000)),
            (2, Gen.Choose(1000, 60_000)),
            (1, Gen.Choose(1, 5).Select(m => m * 60_000)))
        from deviceCount in Gen.Choose(1, 5)
        from devices in Gen.CollectToList(Enumerable.Range(0, deviceCount), i => DeviceGen($"t{i}", graceMs, coarseReconnects, coarseDisconnects))
        from recording in Gen.Shuffle(devices.SelectMany(d => d.Arrivals))
        let events = recording.Take(MaxEvents).ToList()
        let end = events.Max(a => a.Event.ReceivedAt!.Value)
        from restartCount in Gen.Choose(0, 2)
        from restartMs in Gen.ListOf(Gen.Choose(0, (int)Math.Min(int.MaxValue, (end - Start).TotalMilliseconds)), restartCount)
        from downCount in downtimes ? Gen.Frequency((1, Gen.Constant(0)), (2, Gen.Choose(1, 2))) : Gen.Constant(0)
        from downs in Gen.ListOf(DowntimeGen(graceMs, end), downCount)
        from recovery in Gen.Elements(true, false)
        from remindSeconds in reminders ? Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 600))) : Gen.Constant(0)
        from max in Gen.Choose(1, 3)
        from stableMs in stableFor ? Gen.Frequency((1, Gen.Choose(1000, 5000)), (2, Gen.Choose(graceMs / 2, graceMs * 3).Select(ms => Math.Max(ms, 1000)))) : Gen.Constant(0)
        select new Scenario(
            TimeSpan.FromMilliseconds(graceMs),
            recovery,
            remindSeconds > 0 ? TimeSpan.FromSeconds(remindSeconds) : null,
            remindSeconds > 0 ? max : null,
            [.. devices.Select(d => d.History)],
            events,
            [.. restartMs.Order().Select(ms => Start.AddMilliseconds(ms))],
            Disjoint(downs))
        {
            StableFor = stableMs > 0 ? TimeSpan.FromMilliseconds(stableMs) : null,
        };

    private static Gen<Downtime> DowntimeGen(int graceMs, DateTimeOffset end) =>
        from fromMs in Gen.Choose(0, (int)Math.Min(int.MaxValue, (end - Start).TotalMilliseconds))
        from lengthMs in Gen.Frequency(
            (2, Gen.Choose(graceMs / 2, graceMs * 3)),
            (1, Gen.Choose(1000, 600_000)))
        select new Downtime(Start.AddMilliseconds(fromMs), Start.AddMilliseconds(fromMs + lengthMs));

    private static List<Downtime> Disjoint(IEnumerable<Downtime> downs)
    {
        var result = new List<Downtime>();
        foreach (var down in downs.OrderBy(d => d.From))
        {
            if (result.Count == 0 || down.From > result[^1].To)
            {
                result.Add(down);
            }
        }

        return result;
    }

    private sealed record GeneratedDevice(DeviceHistory History, IReadOnlyList<Arrival> Arrivals);

    private static Gen<GeneratedDevice> DeviceGen(string thing, int graceMs, bool coarseReconnects, bool coarseDisconnects) =>
        from changeCount in Gen.Choose(1, 6)
        from startsConnected in Gen.Frequency((1, Gen.Constant(true)), (2, Gen.Constant(false)))
        from firstMs in Gen.Choose(0, 600_000)
        from outageMs in Gen.ListOf(OutageLength(graceMs), changeCount)
        from onlineMs in Gen.ListOf(Gen.Frequency((3, Gen.Choose(1000, 30_000)), (1, Gen.Choose(30_000, 600_000))), changeCount)
        from wholeSeconds in Gen.ListOf(Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true))), changeCount)
        from versionMode in Gen.Choose(0, 2)
        from versionShown in Gen.ListOf(Gen.Elements(true, false), changeCount)
        let changes = Changes(startsConnected, firstMs, outageMs, onlineMs, wholeSeconds, versionMode, versionShown)
        from deliveries in Gen.CollectToList(Enumerable.Range(0, changes.Count), i => DeliveriesGen(thing, i, changes[i], graceMs, coarse: changes[i].Connected ? coarseReconnects : coarseDisconnects))
        select new GeneratedDevice(new DeviceHistory(thing, changes), [.. deliveries.SelectMany(d => d)]);

    // Outage lengths cluster around the grace period (flapping), with short, long and over-an-hour ones.
    private static Gen<int> OutageLength(int graceMs) => Gen.Frequency(
        (3, Gen.Choose(-1500, 1500).Select(d => graceMs + d)),
        (1, Gen.Elements(graceMs, graceMs - 1, graceMs + 1)),
        (2, Gen.Choose(1000, Math.Max(1000, graceMs))),
        (2, Gen.Choose(graceMs, graceMs * 3)),
        (1, Gen.Choose(3_600_001, 5_400_000)))
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
                trueTime = trueTime.AddMilliseconds(connected ? outageMs[i] : onlineMs[i]);

                // A connect starts a new connection; after over an hour offline the counter resets.
                if (connected)
                {
                    connection = outageMs[i] > 3_600_000 ? 0 : connection + 1;
                }
            }

            var reported = wholeSeconds[i] ? WholeSecond(trueTime) : trueTime;
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

    // Once or duplicated; on time, a little late, around or past the grace period, or hours late; now and then the
    // same change from a source of whole seconds (the shadow) next to its lifecycle event in milliseconds.
    private static Gen<IEnumerable<Arrival>> DeliveriesGen(string thing, int index, Change change, int graceMs, bool coarse) =>
        from count in Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)))
        from delays in Gen.ListOf(
            Gen.Frequency(
                (4, Gen.Choose(0, 300)),
                (2, Gen.Choose(0, 3000)),
                (2, Gen.Choose(Math.Max(0, graceMs - 1500), graceMs + 1500)),
                (1, Gen.Choose(graceMs, graceMs * 3)),
                (1, Gen.Choose(3_600_000, 7_200_000))),
            count)
        from coarseForm in Gen.ListOf(Gen.Frequency((7, Gen.Constant(false)), (coarse ? 1 : 0, Gen.Constant(true))), count)
        select delays.Select((ms, k) => new Arrival(
            new ConnectionEvent(thing, change.Connected, coarseForm[k] ? WholeSecond(change.ReportedAt) : change.ReportedAt, change.Version, change.ReportedAt.AddMilliseconds(ms)),
            index));

    private static DateTimeOffset WholeSecond(DateTimeOffset value) => value.AddTicks(-(value.UtcTicks % TimeSpan.TicksPerSecond));
}

/// <summary>
/// The state source as replay sees it: for each thing, the latest event of the whole recording by state order (event
/// time, version with none first, a disconnect after the connect of the same instant, recording order) whose event
/// time is at or before the clock's now, whether it was delivered or not.
/// </summary>
internal sealed class TruthReader(IReadOnlyList<Arrival> recording, TimeProvider time) : IShadowReader
{
    public ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcTicks;
        var latest = -1;
        for (var i = 0; i < recording.Count; i++)
        {
            var e = recording[i].Event;
            if (e.ThingName == thingName && e.At.UtcTicks <= now && (latest < 0 || Compare(recording[latest].Event, latest, e, i) < 0))
            {
                latest = i;
            }
        }

        return ValueTask.FromResult<ConnectionSnapshot?>(latest < 0 ? null : new ConnectionSnapshot(recording[latest].Event.Connected, recording[latest].Event.At, recording[latest].Event.Version));
    }

    private static int Compare(in ConnectionEvent a, int x, in ConnectionEvent b, int y)
    {
        if (a.At.UtcTicks != b.At.UtcTicks)
        {
            return a.At.UtcTicks.CompareTo(b.At.UtcTicks);
        }

        var (av, bv) = (a.Version ?? long.MinValue, b.Version ?? long.MinValue);
        if (av != bv)
        {
            return av.CompareTo(bv);
        }

        if (a.Connected != b.Connected)
        {
            return a.Connected ? -1 : 1;
        }

        return x.CompareTo(y);
    }
}

/// <summary>
/// Drives the live <see cref="DeviceEngine"/> through a scenario on a fake clock: each arrival recorded at its arrival
/// time (after everything due before it), every due re-check and reminder run at the time the engine would act on it,
/// the outbox delivered after each step; a restart is a fresh engine over the same store, after a sender that died
/// holding the outbox; during a downtime nothing runs, and what arrived meanwhile is recorded at its end in one batch.
/// </summary>
internal sealed class LiveRun : IDisposable
{
    // DeviceEngine waits this long after recording a disconnect before its re-check (what was read with it may hold the reconnect).
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    private readonly Scenario _scenario;
    private readonly bool _truth;
    private readonly FakeTimeProvider _time = new(EngineHistories.Start.AddHours(-1));
    private readonly InMemoryDeviceStore _store = new();
    private readonly GracefulDisconnectMetrics _metrics = new();
    private readonly Microsoft.Extensions.Options.IOptions<GracefulDisconnectOptions> _options;
    private readonly string[] _things;
    private DeviceEngine? _engine;
    private DateTimeOffset _lastRun = DateTimeOffset.MinValue;

    public LiveRun(Scenario scenario, bool truthReader)
    {
        _scenario = scenario;
        _truth = truthReader;
        _things = [.. scenario.Devices.Select(d => d.Thing)];
        _options = TestOptions.Create(o =>
        {
            o.GracePeriod = scenario.Grace;
            o.Alerts.NotifyRecovery = scenario.NotifyRecovery;
            o.Alerts.ReminderInterval = scenario.ReminderInterval;
            o.Alerts.MaxReminders = scenario.MaxReminders;
            o.Alerts.StableFor = scenario.StableFor;
            o.NotifyRetryDelay = TimeSpan.FromSeconds(1);
        });
        Notifier = new RecordingNotifier();
    }

    public RecordingNotifier Notifier { get; }

    /// <summary>What the engine recorded, and when (by the fake clock).</summary>
    public List<(Arrival Arrival, DateTimeOffset RecordedAt)> Recorded { get; } = [];

    public async Task RunAsync()
    {
        // Arrivals during a downtime are handed over when it ends; ties keep recording order, as replay does.
        var arrivals = _scenario.Recording
            .Select((arrival, index) => (arrival, index, at: Effective(arrival.Event.ReceivedAt!.Value)))
            .OrderBy(a => a.at).ThenBy(a => a.index)
            .ToList();
        var points = new List<(DateTimeOffset At, int Kind, object? Item)>();
        foreach (var (arrival, _, at) in arrivals)
        {
            points.Add((at, 2, arrival));
        }

        foreach (var restart in _scenario.Restarts)
        {
            points.Add((restart, 0, null));
        }

        foreach (var downtime in _scenario.Downtimes)
        {
            points.Add((downtime.From, 1, downtime));
            points.Add((downtime.To, 0, downtime));
        }

        var ordered = points.Select((p, i) => (p, i)).OrderBy(x => x.p.At).ThenBy(x => x.p.Kind).ThenBy(x => x.i).Select(x => x.p).ToList();
        _engine = NewEngine();
        var down = false;
        foreach (var (at, kind, item) in ordered)
        {
            if (!down)
            {
                await RunUntilAsync(at, inclusive: false);
            }

            AdvanceTo(at);
            switch (kind)
            {
                case 0 when item is Downtime:
                    // Back up: a fresh engine over the same store; what arrived meanwhile comes in one batch.
                    down = false;
                    _engine = NewEngine();
                    var pending = arrivals.Where(a => Effective(a.arrival.Event.ReceivedAt!.Value) == at && In((Downtime)item, a.arrival.Event.ReceivedAt!.Value)).Select(a => a.arrival).ToList();
                    await RecordAsync(pending);
                    break;
                case 0 when !down:
                    await CrashAsync();
                    _engine = NewEngine();
                    break;
                case 1:
                    await CrashAsync();
                    down = true;
                    break;
                case 2 when item is Arrival arrival && !In(arrival.Event.ReceivedAt!.Value):
                    await RecordAsync([arrival]);
                    break;
            }
        }

        // After the last arrival the clock runs on until nothing is due (reminders are bounded by their maximum).
        await RunUntilAsync(DateTimeOffset.MaxValue.AddYears(-1), inclusive: true);

        // Whatever a dead sender held is taken over after its lease.
        AdvanceTo(_time.GetUtcNow().AddMinutes(2));
        await _engine.DeliverAsync();
        var counts = await _store.CountAsync();
        Assert.Equal(new DeviceStoreCounts(0, 0, Offline: 0), counts with { Offline = 0 }); // nothing left to do, however many are offline
    }

    private DateTimeOffset Effective(DateTimeOffset receivedAt)
        => _scenario.Downtimes.FirstOrDefault(d => In(d, receivedAt)) is { } down ? down.To : receivedAt;

    private bool In(DateTimeOffset at) => _scenario.Downtimes.Any(d => In(d, at));

    private static bool In(Downtime down, DateTimeOffset at) => at >= down.From && at < down.To;

    private async Task RecordAsync(List<Arrival> arrivals)
    {
        if (arrivals.Count == 0)
        {
            return;
        }

        await _engine!.RecordAsync([.. arrivals.Select(a => a.Event)]);
        foreach (var arrival in arrivals)
        {
            Recorded.Add((arrival, _time.GetUtcNow()));
        }

        await _engine.DeliverAsync();
    }

    // The process dies: its engine is gone, and its sender had claimed the outbox without sending.
    private async Task CrashAsync()
    {
        foreach (var channel in _engine!.ChannelNames)
        {
            await _store.ClaimDeliveriesAsync(channel, _time.GetUtcNow(), TimeSpan.FromMinutes(1), 1000);
        }

        _engine.Dispose();
    }

    private async Task RunUntilAsync(DateTimeOffset limit, bool inclusive)
    {
        for (var pass = 0; ; pass++)
        {
            Assert.True(pass < 10_000, "the engine keeps having work");
            var next = await NextWorkAsync();
            if (next is not { } at || at > limit || (!inclusive && at == limit))
            {
                return;
            }

            AdvanceTo(at);
            _lastRun = _time.GetUtcNow();
            await _engine!.RunDueAsync();
            await _engine.DeliverAsync();
        }
    }

    // The earliest time after the last pass at which the engine may act: a re-check once due, once settled, a reminder
    // or a StableFor recovery.
    private async Task<DateTimeOffset?> NextWorkAsync()
    {
        DateTimeOffset? next = null;
        foreach (var stored in await _store.LoadAsync(_things))
        {
            var record = DeviceRecordCodec.Read(stored.ThingName, stored.State);
            var candidates = new List<DateTimeOffset>();
            if (record.Pending is { } pending)
            {
                // The host runs a pass as soon as a commit makes a wake due, and polls: at the due time, and once settled.
                candidates.Add(pending.DueAt);
                candidates.Add(pending.RecordedAt + Settle);
            }

            if (record.Open?.WakeAt is { } outageWake)
            {
                candidates.Add(outageWake);
            }

            foreach (var candidate in candidates)
            {
                var at = candidate > _lastRun ? candidate : _time.GetUtcNow() > _lastRun ? _time.GetUtcNow() : (DateTimeOffset?)null;
                if (at is { } due && (next is null || due < next))
                {
                    next = due;
                }
            }
        }

        return next;
    }

    private void AdvanceTo(DateTimeOffset at)
    {
        if (at > _time.GetUtcNow())
        {
            _time.SetUtcNow(at);
        }
    }

    private DeviceEngine NewEngine()
        => new(_store, _truth ? new TruthReader(_scenario.Recording, _time) : null, [Notifier], _options, new NotificationFormatter(_options), _time, _metrics);

    public void Dispose()
    {
        _engine?.Dispose();
        _metrics.Dispose();
    }
}
