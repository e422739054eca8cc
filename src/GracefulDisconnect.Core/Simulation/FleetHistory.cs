using System.Numerics;

namespace GracefulDisconnect.Simulation;

/// <summary>
/// A recorded history of connection events, replayed in virtual time to see what the engine would
/// have notified under a given grace period — the basis of <c>gracefuldisconnect replay</c> and of
/// choosing a grace period for a fleet.
/// </summary>
/// <remarks>
/// <para>The replay model:</para>
/// <list type="bullet">
/// <item>Events reach the engine in order of <see cref="ConnectionEvent.ReceivedAt"/> (default: the
/// event's own time); ties keep the order in which they were added.</item>
/// <item>Each disconnect schedules a re-check due at <c>max(At + grace, arrival)</c>. At equal times,
/// deliveries come before re-checks.</item>
/// <item>The state source is the truth: for each thing, the latest event in AWS's order of connection
/// changes (<see cref="ConnectionOrder"/>: by version within a connection's recent history, a disconnect
/// after the connect of the same version; by event time otherwise) among those the virtual clock has
/// reached, whether or not they have reached the engine yet. An event ordered after one whose time is still
/// ahead becomes visible with it.</item>
/// <item>A re-check decides with <see cref="GracePeriodDecision.Decide"/> and notifies at most once per
/// outage (<see cref="OutageId"/>); a second notify for the same outage is <c>skip-duplicate</c>.</item>
/// <item>After the last event the clock runs on until every pending re-check has fired.</item>
/// </list>
/// <para>The history is prepared once (sorted by arrival and by state order) and can be replayed
/// with many grace periods. Not thread-safe.</para>
/// </remarks>
public sealed partial class FleetHistory
{
    private const long NoVersion = ConnectionOrder.NoVersion;

    private readonly string[] _thingNames;
    // Events in recording order; the array may be longer than _eventCount (the builder's buffer, handed over uncopied).
    private readonly Event[] _events;
    private readonly int _eventCount;
    private readonly int[] _deliveryOrder;
    // Each thing's state changes in state order, things one after another: a re-check reads a few contiguous
    // entries instead of following an index into the whole recording for every step of its cursor.
    private readonly StateChange[] _states;
    private readonly int[] _stateStart;

    private FleetHistory(string[] thingNames, Event[] events, int eventCount)
    {
        _thingNames = thingNames;
        _events = events;
        _eventCount = eventCount;
        _deliveryOrder = DeliveryOrder(events, eventCount);
        (_states, _stateStart) = StateOrder(events, eventCount, thingNames.Length);
    }

    /// <summary>How many events the history holds.</summary>
    public int EventCount => _eventCount;

    /// <summary>How many distinct things the history holds.</summary>
    public int ThingCount => _thingNames.Length;

    /// <summary>Prepares a history from events in the order they were recorded (file order).</summary>
    /// <param name="events">The events.</param>
    /// <returns>The history.</returns>
    public static FleetHistory Create(IEnumerable<ConnectionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var builder = new Builder();
        foreach (var connectionEvent in events)
        {
            builder.Add(connectionEvent);
        }

        return builder.Build();
    }

    /// <summary>Replays the history under one grace period.</summary>
    /// <param name="gracePeriod">The grace period; at least one second.</param>
    /// <param name="sink">Receives every decision, in decision order.</param>
    /// <exception cref="ArgumentOutOfRangeException">The grace period is under one second (outages are identified by the second they began).</exception>
    public void Replay(TimeSpan gracePeriod, IReplaySink sink) => Replay(gracePeriod, NoAlerts, sink);

    /// <summary>Replays the history under one grace period, with the alerts the options switch on, as the live engine would send them.</summary>
    /// <param name="gracePeriod">The grace period of this replay (the options' own grace periods are not used: a replay sweeps several); at least one second.</param>
    /// <param name="options">
    /// The live engine's options, validated by the same rules: <see cref="AlertOptions.NotifyRecovery"/>,
    /// <see cref="AlertOptions.ReminderInterval"/> and <see cref="AlertOptions.MaxReminders"/>,
    /// <see cref="AlertOptions.Flapping"/> and its overrides, <see cref="AlertOptions.Digest"/>
    /// and <see cref="AlertOptions.DigestGroup"/>.
    /// </param>
    /// <param name="sink">Receives every decision and alert, in virtual-time order.</param>
    /// <exception cref="ArgumentOutOfRangeException">The grace period is under one second (outages are identified by the second they began).</exception>
    /// <exception cref="ArgumentException">The options are not valid; the message names each option and the problem.</exception>
    /// <remarks>
    /// At equal virtual times: deliveries first, then digests closing, then re-checks, then reminders.
    /// The alerts are the live engine's (<see cref="Engine.DeviceStateMachine"/>); see <see cref="AlertRun"/> for what replay adds.
    /// </remarks>
    public void Replay(TimeSpan gracePeriod, GracefulDisconnectOptions options, IReplaySink sink)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.FromSeconds(1));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        if (new GracefulDisconnectOptionsValidator().Validate(null, options) is { Failed: true } invalid)
        {
            throw new ArgumentException(string.Join("; ", invalid.Failures ?? []), nameof(options));
        }

        var graceTicks = gracePeriod.Ticks;
        var things = new ThingReplay[_thingNames.Length];
        for (var thing = 0; thing < things.Length; thing++)
        {
            things[thing] = new ThingReplay(_thingNames[thing], _stateStart[thing], _stateStart[thing + 1]);
        }

        var pending = new DueQueue<int>();
        var alertRun = HasAlerts(options) ? new AlertRun(this, options, gracePeriod, things, sink) : null;

        var next = 0;
        while (true)
        {
            var nextDeliveryTicks = next < _deliveryOrder.Length ? _events[_deliveryOrder[next]].ReceivedTicks : long.MaxValue;
            if (!pending.TryPeekDue(out var dueTicks))
            {
                dueTicks = long.MaxValue;
            }

            if (alertRun is not null && alertRun.RunDue(nextDeliveryTicks, dueTicks))
            {
                continue;
            }

            if (dueTicks < nextDeliveryTicks)
            {
                pending.TryDequeueDue(dueTicks, out var triggerIndex, out _);
                if (alertRun is not null)
                {
                    alertRun.Recheck(triggerIndex, dueTicks);
                }
                else
                {
                    sink.OnDecision(Recheck(triggerIndex, dueTicks, gracePeriod, things));
                }

                continue;
            }

            if (next == _deliveryOrder.Length)
            {
                alertRun?.Finish();
                return;
            }

            var index = _deliveryOrder[next++];
            ref readonly var delivered = ref _events[index];
            if (!delivered.Connected)
            {
                var due = delivered.AtTicks > DateTimeOffset.MaxValue.UtcTicks - graceTicks ? DateTimeOffset.MaxValue.UtcTicks : delivered.AtTicks + graceTicks;
                pending.Enqueue(index, Math.Max(due, delivered.ReceivedTicks));
            }

            alertRun?.OnDelivered(index);
        }
    }

    // Options that switch no alert on: replay's own path, decisions only.
    private static readonly GracefulDisconnectOptions NoAlerts = new();

    // Anything that makes the state machine decide otherwise than the plain replay: StableFor alone too (a drop within
    // it continues the outage, so it gets no offline notification of its own).
    private static bool HasAlerts(GracefulDisconnectOptions options)
        => options.Alerts.NotifyRecovery || options.Alerts.StableFor is not null || options.Alerts.ReminderInterval is not null || options.Alerts.Flapping is not null || options.Alerts.FlappingOverrides.Count > 0 || options.Alerts.Digest is not null;

    private ReplayDecision Recheck(int triggerIndex, long nowTicks, TimeSpan gracePeriod, ThingReplay[] things)
    {
        ref readonly var triggerEvent = ref _events[triggerIndex];
        ref var thing = ref things[triggerEvent.Thing];
        var trigger = new DisconnectTrigger(thing.Name, Utc(triggerEvent.AtTicks), triggerEvent.Version == NoVersion ? null : triggerEvent.Version);
        var now = Utc(nowTicks);
        var verdict = GracePeriodDecision.Decide(trigger, ReadState(ref thing, nowTicks), now, gracePeriod);

        var result = verdict.ToRecheckResult();
        if (verdict == Verdict.Notify)
        {
            var outage = new OutageId(trigger).StartedAtEpochSeconds;
            if (outage == thing.LastNotified)
            {
                result = RecheckResult.SkippedDuplicate;
            }
            else if (outage < thing.LastNotified)
            {
                result = RecheckResult.SkippedSuperseded;
            }
            else
            {
                thing.LastNotified = outage;
            }
        }

        return new ReplayDecision(trigger.ThingName, result, trigger.DisconnectedAt, now, gracePeriod);
    }

    // The latest time the recording speaks of: an event's own time or its arrival.
    private long LastRecordedTicks()
    {
        var last = long.MinValue;
        foreach (ref readonly var e in _events.AsSpan(0, _eventCount))
        {
            last = Math.Max(last, Math.Max(e.AtTicks, e.ReceivedTicks));
        }

        return last;
    }

    // The virtual clock only moves forward, so each thing's cursor into its state-ordered events does too.
    private ConnectionSnapshot? ReadState(ref ThingReplay thing, long nowTicks)
    {
        var next = thing.Next;
        while (next < thing.End && _states[next].AtTicks <= nowTicks)
        {
            next++;
        }

        thing.Next = next;
        if (next == thing.Start)
        {
            return null;
        }

        ref readonly var latest = ref _states[next - 1];
        return new ConnectionSnapshot(latest.Connected, Utc(latest.AtTicks), latest.Version == NoVersion ? null : latest.Version);
    }

    // Within a thing: AWS's order of connection changes (ConnectionOrder: the version within a connection's
    // recent history, else the event time as recorded), then recording order (the index into the events).
    private static int CompareStateOrder(Event[] events, int x, int y)
    {
        ref readonly var a = ref events[x];
        ref readonly var b = ref events[y];
        var order = ConnectionOrder.Compare(a.AtTicks, a.Version, a.Connected, b.AtTicks, b.Version, b.Connected, sameResolution: true);
        return order != 0 ? order : x.CompareTo(y);
    }

    // Arrival order, stable. Recordings are usually in arrival order already, so check before sorting.
    private static int[] DeliveryOrder(Event[] events, int count)
    {
        var order = new int[count];
        var sorted = true;
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            sorted &= i == 0 || events[i - 1].ReceivedTicks <= events[i].ReceivedTicks;
        }

        if (sorted)
        {
            return order;
        }

        var earliest = long.MaxValue;
        var latest = long.MinValue;
        for (var i = 0; i < count; i++)
        {
            earliest = Math.Min(earliest, events[i].ReceivedTicks);
            latest = Math.Max(latest, events[i].ReceivedTicks);
        }

        // Ticks above, recording index below: one primitive key makes the unstable sort stable. When the
        // arrivals span less than 2^(64 - index bits) ticks (20 days at a million events), ticks relative to
        // the earliest and the index fit one ulong, sorted alone: about half the work of UInt128 keys with a
        // separate items array, which was the largest single cost of preparing a million-event history.
        var indexBits = 64 - BitOperations.LeadingZeroCount((ulong)count - 1);
        var spanBits = 64 - BitOperations.LeadingZeroCount((ulong)(latest - earliest));
        if (indexBits + spanBits <= 64)
        {
            var keys = new ulong[count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = ((ulong)(events[i].ReceivedTicks - earliest) << indexBits) | (uint)i;
            }

            Array.Sort(keys);
            var indexMask = (1UL << indexBits) - 1;
            for (var i = 0; i < keys.Length; i++)
            {
                order[i] = (int)(keys[i] & indexMask);
            }
        }
        else
        {
            var keys = new UInt128[count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = ((UInt128)(ulong)events[i].ReceivedTicks << 32) | (uint)i;
            }

            Array.Sort(keys, order);
        }

        return order;
    }

    // Grouped by thing (counting sort keeps recording order), then each thing's events in state order.
    private static (StateChange[] States, int[] Start) StateOrder(Event[] events, int count, int thingCount)
    {
        var start = new int[thingCount + 1];
        foreach (ref readonly var e in events.AsSpan(0, count))
        {
            start[e.Thing + 1]++;
        }

        for (var thing = 0; thing < thingCount; thing++)
        {
            start[thing + 1] += start[thing];
        }

        // Scattered in recording order (sequential reads, a write per event), not gathered in thing order
        // afterwards, which read the whole recording at random and cost as much as the state reads it saved.
        var order = new int[count];
        var states = new StateChange[count];
        var fill = start[..^1];
        for (var i = 0; i < count; i++)
        {
            ref readonly var e = ref events[i];
            var at = fill[e.Thing]++;
            order[at] = i;
            states[at] = new StateChange(e.AtTicks, e.Version, e.Connected);
        }

        for (var thing = 0; thing < thingCount; thing++)
        {
            var range = order.AsSpan(start[thing], start[thing + 1] - start[thing]);
            if (!IsInStateOrder(events, range))
            {
                range.Sort((x, y) => CompareStateOrder(events, x, y));
                for (var k = start[thing]; k < start[thing + 1]; k++)
                {
                    ref readonly var e = ref events[order[k]];
                    states[k] = new StateChange(e.AtTicks, e.Version, e.Connected);
                }
            }
        }

        return (states, start);
    }

    private static bool IsInStateOrder(Event[] events, ReadOnlySpan<int> range)
    {
        for (var i = 1; i < range.Length; i++)
        {
            if (CompareStateOrder(events, range[i - 1], range[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    // 32 bytes: the longs first, and no copy of the recording index (it is the position in the array).
    private readonly record struct Event(long AtTicks, long Version, long ReceivedTicks, int Thing, bool Connected);

    private readonly record struct StateChange(long AtTicks, long Version, bool Connected);

    // Everything a re-check needs about its thing during one replay, in one place (one cache line, not four
    // arrays indexed by thing): its name, its state changes [Start, End) and how far the clock has read them,
    // and the outage last notified.
    private struct ThingReplay(string name, int start, int end)
    {
        public readonly string Name = name;
        public readonly int Start = start;
        public readonly int End = end;
        public int Next = start;
        public long LastNotified = long.MinValue;
    }

    /// <summary>Collects events one at a time (for example while parsing a file), then prepares the history.</summary>
    public sealed class Builder
    {
        private readonly Dictionary<string, int> _things = new(StringComparer.Ordinal);
        private readonly List<string> _thingNames = [];
        private readonly ThingNamePool? _names;
        private int[] _thingByNameId = [];
        private Event[] _events = new Event[1024];
        private int _count;

        /// <summary>Creates an empty builder.</summary>
        public Builder()
        {
        }

        /// <summary>
        /// Creates a builder that matches names to things through <paramref name="names"/>: an event added right
        /// after its name was pooled is matched by the pool's id, without hashing the name again.
        /// </summary>
        /// <param name="names">The pool the parser hands its names out of.</param>
        public Builder(ThingNamePool names)
        {
            ArgumentNullException.ThrowIfNull(names);
            _names = names;
        }

        /// <summary>Adds the next event.</summary>
        /// <param name="connectionEvent">The event.</param>
        /// <exception cref="ArgumentException">The thing name is not valid.</exception>
        public void Add(in ConnectionEvent connectionEvent)
        {
            var thing = _names is { } names
                ? PooledThing(names, connectionEvent.ThingName, out var problem)
                : Thing(connectionEvent.ThingName, out problem);
            if (thing < 0)
            {
                throw new ArgumentException($"Thing name {problem}.", nameof(connectionEvent));
            }

            // Replay does not model silence, and a sign of life is no state change: nothing to replay.
            if (connectionEvent.SignOfLife)
            {
                return;
            }

            if (_count == _events.Length)
            {
                Array.Resize(ref _events, _events.Length * 2);
            }

            var at = connectionEvent.At.UtcTicks;
            _events[_count] = new Event(at, connectionEvent.Version ?? NoVersion, connectionEvent.ReceivedAt?.UtcTicks ?? at, thing, connectionEvent.Connected);
            _count++;
        }

        // Every name goes through the pool, so the pool's id identifies the thing: no second hash table of
        // names (at 10^6 devices that is ~40 MB), and a name just pooled by the parser is not hashed again.
        private int PooledThing(ThingNamePool names, string name, out string? problem)
        {
            if (!ReferenceEquals(name, names.LastName))
            {
                name = names.Get(name);
            }

            var nameId = names.LastId;
            if (nameId < _thingByNameId.Length && _thingByNameId[nameId] != 0)
            {
                problem = null;
                return _thingByNameId[nameId] - 1;
            }

            if (!ThingName.IsValid(name, out problem))
            {
                return -1;
            }

            var thing = _thingNames.Count;
            _thingNames.Add(name);
            if (nameId >= _thingByNameId.Length)
            {
                Array.Resize(ref _thingByNameId, Math.Max(nameId + 1, _thingByNameId.Length * 2));
            }

            _thingByNameId[nameId] = thing + 1;
            return thing;
        }

        // The thing's index, or -1 when the name is not valid.
        private int Thing(string name, out string? problem)
        {
            if (!ThingName.IsValid(name, out problem))
            {
                return -1;
            }

            if (!_things.TryGetValue(name, out var thing))
            {
                thing = _thingNames.Count;
                _things.Add(name, thing);
                _thingNames.Add(name);
            }

            return thing;
        }

        /// <summary>Prepares the history; the builder must not be used afterwards.</summary>
        /// <returns>The history.</returns>
        /// <remarks>The buffer is handed over, not copied: a later <see cref="Add"/> only writes past the history's end or into a new buffer.</remarks>
        public FleetHistory Build() => new([.. _thingNames], _events, _count);
    }
}
