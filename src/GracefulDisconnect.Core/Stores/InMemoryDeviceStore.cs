namespace GracefulDisconnect;

/// <summary>
/// The default <see cref="IDeviceStore"/>: everything in this process's memory. It forgets everything when the
/// process ends (pending re-checks, notified outages, undelivered notifications): use a durable store (SQLite,
/// PostgreSQL, DynamoDB) wherever a restart must not lose an outage. Thread-safe.
/// </summary>
public sealed class InMemoryDeviceStore : IDeviceStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Device> _devices = new(StringComparer.Ordinal);
    private readonly SortedSet<(long WakeTicks, string Thing)> _wakes = [];
    private readonly SortedDictionary<long, Message> _outbox = [];
    private readonly HashSet<(string Channel, string NotificationId)> _written = [];

    // Devices by committed status, in listing order: [0] online, [1] offline.
    private readonly SortedSet<(long SinceTicks, string Thing)>[] _byStatus = [new(StatusOrder.Instance), new(StatusOrder.Instance)];
    private long _sequence;

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredDevice>> LoadAsync(IReadOnlyCollection<string> thingNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thingNames);
        var found = new List<StoredDevice>(thingNames.Count);
        lock (_lock)
        {
            foreach (var thing in thingNames)
            {
                if (_devices.TryGetValue(thing, out var device))
                {
                    found.Add(new StoredDevice(thing, device.Version, device.State));
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<StoredDevice>>(found);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyCollection<string>> CommitAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        cancellationToken.ThrowIfCancellationRequested();
        var conflicts = new List<string>();
        lock (_lock)
        {
            foreach (var change in changes)
            {
                var stored = _devices.TryGetValue(change.ThingName, out var device) ? device.Version : 0;
                if (stored != change.ExpectedVersion)
                {
                    conflicts.Add(change.ThingName);
                    continue;
                }

                if (device is { WakeTicks: { } oldWake })
                {
                    _wakes.Remove((oldWake, change.ThingName));
                }

                if (device is { Status: { } oldStatus })
                {
                    _byStatus[oldStatus.Offline ? 1 : 0].Remove((oldStatus.Since.UtcTicks, change.ThingName));
                }

                var wake = change.WakeAt?.UtcTicks;
                _devices[change.ThingName] = new Device(change.ExpectedVersion + 1, change.State, wake, LeaseTicks: long.MinValue, change.Status);
                if (wake is { } ticks)
                {
                    _wakes.Add((ticks, change.ThingName));
                }

                if (change.Status is { } status)
                {
                    _byStatus[status.Offline ? 1 : 0].Add((status.Since.UtcTicks, change.ThingName));
                }

                foreach (var message in change.Outbox)
                {
                    if (_written.Add((message.Channel, message.NotificationId)))
                    {
                        _outbox.Add(++_sequence, new Message(message, Attempts: 0, NextAttemptTicks: long.MinValue));
                    }
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyCollection<string>>(conflicts);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var claimed = new List<string>();
        var nowTicks = now.UtcTicks;
        lock (_lock)
        {
            foreach (var (wakeTicks, thing) in _wakes)
            {
                if (wakeTicks > nowTicks || claimed.Count == max)
                {
                    break;
                }

                var device = _devices[thing];
                if (device.LeaseTicks > nowTicks)
                {
                    continue;
                }

                _devices[thing] = device with { LeaseTicks = nowTicks + lease.Ticks };
                claimed.Add(thing);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<string>>(claimed);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<PendingDelivery>> ClaimDeliveriesAsync(string channel, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var claimed = new List<PendingDelivery>();
        var nowTicks = now.UtcTicks;
        lock (_lock)
        {
            foreach (var (sequence, message) in _outbox)
            {
                if (claimed.Count == max)
                {
                    break;
                }

                if (message.Content.Channel != channel || message.NextAttemptTicks > nowTicks)
                {
                    continue;
                }

                claimed.Add(new PendingDelivery(sequence, channel, message.Content.NotificationId, message.Content.Payload, message.Attempts));
            }

            foreach (var delivery in claimed)
            {
                _outbox[delivery.Sequence] = _outbox[delivery.Sequence] with { NextAttemptTicks = nowTicks + lease.Ticks };
            }
        }

        return ValueTask.FromResult<IReadOnlyList<PendingDelivery>>(claimed);
    }

    /// <inheritdoc/>
    public ValueTask CompleteDeliveryAsync(long sequence, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _outbox.Remove(sequence);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RetryDeliveryAsync(long sequence, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_outbox.TryGetValue(sequence, out var message))
            {
                _outbox[sequence] = message with { Attempts = message.Attempts + 1, NextAttemptTicks = retryAt.UtcTicks };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ListedDevice>> ListByStatusAsync(DeviceStatusQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Max, 1);
        var listed = new List<ListedDevice>(Math.Min(query.Max, 256));
        lock (_lock)
        {
            var index = _byStatus[query.Offline ? 1 : 0];
            IEnumerable<(long SinceTicks, string Thing)> range = index;
            if (query.After is { } after && index.Count > 0)
            {
                var at = (after.Since.UtcTicks, after.ThingName);
                range = query.NewestFirst
                    ? (StatusOrder.Instance.Compare(index.Min, at) < 0 ? index.GetViewBetween(index.Min, at) : [])
                    : (StatusOrder.Instance.Compare(at, index.Max) < 0 ? index.GetViewBetween(at, index.Max) : []);
            }

            if (query.NewestFirst)
            {
                range = range.Reverse();
            }

            foreach (var (sinceTicks, thing) in range)
            {
                if (query.After is { } cursor && sinceTicks == cursor.Since.UtcTicks && thing == cursor.ThingName)
                {
                    // GetViewBetween includes its bounds; the cursor's own device was on the previous page.
                    continue;
                }

                var device = _devices[thing];
                listed.Add(new ListedDevice(new StoredDevice(thing, device.Version, device.State), new DeviceStatus(query.Offline, new DateTimeOffset(sinceTicks, TimeSpan.Zero))));
                if (listed.Count == query.Max)
                {
                    break;
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<ListedDevice>>(listed);
    }

    /// <inheritdoc/>
    public ValueTask<DeviceStoreCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(new DeviceStoreCounts(_wakes.Count, _outbox.Count, _byStatus[1].Count));
        }
    }

    private sealed record Device(long Version, string State, long? WakeTicks, long LeaseTicks, DeviceStatus? Status);

    // Time, then thing name by ordinal comparison: the order the port promises (a tuple's default compares strings by culture).
    private sealed class StatusOrder : IComparer<(long SinceTicks, string Thing)>
    {
        public static readonly StatusOrder Instance = new();

        public int Compare((long SinceTicks, string Thing) x, (long SinceTicks, string Thing) y)
        {
            var order = x.SinceTicks.CompareTo(y.SinceTicks);
            return order != 0 ? order : string.CompareOrdinal(x.Thing, y.Thing);
        }
    }

    private sealed record Message(OutboxMessage Content, int Attempts, long NextAttemptTicks);
}
