namespace GracefulDisconnect;

/// <summary>
/// Re-checks waiting for their due time: a binary min-heap of 40-byte structs in one array, so a
/// million pending re-checks cost about 40 MB plus their thing names, and no timer or task each.
/// Ties on the due time keep scheduling order. Not thread-safe.
/// </summary>
internal sealed class PendingRecheckQueue
{
    private const long NoVersion = long.MinValue;
    private Entry[] _heap;
    private long _sequence;

    public PendingRecheckQueue(int capacity = 16) => _heap = new Entry[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public void Enqueue(in DisconnectTrigger trigger, long dueTicks)
    {
        if (Count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        var entry = new Entry(dueTicks, _sequence++, trigger.ThingName, trigger.DisconnectedAt.UtcTicks, trigger.Version ?? NoVersion);
        var index = Count++;
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!entry.Before(_heap[parent]))
            {
                break;
            }

            _heap[index] = _heap[parent];
            index = parent;
        }

        _heap[index] = entry;
    }

    /// <summary>The due time of the earliest re-check, if any.</summary>
    public bool TryPeekDue(out long dueTicks)
    {
        dueTicks = Count == 0 ? 0 : _heap[0].DueTicks;
        return Count != 0;
    }

    /// <summary>Removes the earliest re-check if it is due at or before <paramref name="nowTicks"/>.</summary>
    public bool TryDequeueDue(long nowTicks, out DisconnectTrigger trigger, out long dueTicks)
    {
        if (Count == 0 || _heap[0].DueTicks > nowTicks)
        {
            trigger = default;
            dueTicks = 0;
            return false;
        }

        var top = _heap[0];
        trigger = new DisconnectTrigger(top.ThingName, new DateTimeOffset(top.DisconnectedAtTicks, TimeSpan.Zero), top.Version == NoVersion ? null : top.Version);
        dueTicks = top.DueTicks;

        var last = _heap[--Count];
        _heap[Count] = default;
        if (Count > 0)
        {
            SiftDown(last);
        }

        return true;
    }

    private void SiftDown(Entry entry)
    {
        var index = 0;
        var half = Count >> 1;
        while (index < half)
        {
            var child = (2 * index) + 1;
            if (child + 1 < Count && _heap[child + 1].Before(_heap[child]))
            {
                child++;
            }

            if (!_heap[child].Before(entry))
            {
                break;
            }

            _heap[index] = _heap[child];
            index = child;
        }

        _heap[index] = entry;
    }

    private readonly record struct Entry(long DueTicks, long Sequence, string ThingName, long DisconnectedAtTicks, long Version)
    {
        public bool Before(in Entry other) => DueTicks < other.DueTicks || (DueTicks == other.DueTicks && Sequence < other.Sequence);
    }
}
