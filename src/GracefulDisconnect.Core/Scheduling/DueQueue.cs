namespace GracefulDisconnect;

/// <summary>
/// Items waiting for their due time: a binary min-heap of structs in one array, so a million pending
/// re-checks cost a few tens of megabytes and no timer or task each. Ties on the due time keep
/// insertion order, which makes replays deterministic. Not thread-safe.
/// </summary>
/// <typeparam name="T">The item; keep it a small struct.</typeparam>
internal sealed class DueQueue<T>
{
    private Entry[] _heap;
    private long _sequence;

    public DueQueue(int capacity = 16) => _heap = new Entry[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public void Enqueue(T item, long dueTicks)
    {
        if (Count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        var entry = new Entry(dueTicks, _sequence++, item);
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

    /// <summary>The due time of the earliest item, if any.</summary>
    public bool TryPeekDue(out long dueTicks)
    {
        dueTicks = Count == 0 ? 0 : _heap[0].DueTicks;
        return Count != 0;
    }

    /// <summary>Removes the earliest item if it is due at or before <paramref name="nowTicks"/>.</summary>
    public bool TryDequeueDue(long nowTicks, out T item, out long dueTicks)
    {
        if (Count == 0 || _heap[0].DueTicks > nowTicks)
        {
            item = default!;
            dueTicks = 0;
            return false;
        }

        item = _heap[0].Item;
        dueTicks = _heap[0].DueTicks;
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

    private readonly record struct Entry(long DueTicks, long Sequence, T Item)
    {
        public bool Before(in Entry other) => DueTicks < other.DueTicks || (DueTicks == other.DueTicks && Sequence < other.Sequence);
    }
}
