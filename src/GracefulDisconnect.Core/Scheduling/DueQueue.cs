namespace GracefulDisconnect;

/// <summary>
/// Items waiting for their due time: a binary min-heap of structs, so a million pending re-checks cost a
/// few tens of megabytes and no timer or task each. Ties on the due time keep insertion order, which makes
/// replays deterministic. Not thread-safe.
/// </summary>
/// <remarks>
/// The heap lives in fixed segments of 1,024 entries rather than one array that doubles: growing never
/// copies, never leaves the old array behind as garbage, and every segment stays under the 85 KB
/// large-object threshold, so a burst of a million disconnects triggers no full garbage collection.
/// Segments emptied by dequeues are given back, keeping one spare against churn at a boundary.
/// </remarks>
/// <typeparam name="T">The item; keep it a small struct.</typeparam>
internal sealed class DueQueue<T>
{
    private const int SegmentShift = 10;
    private const int SegmentSize = 1 << SegmentShift;
    private const int SegmentMask = SegmentSize - 1;

    private Entry[]?[] _segments = new Entry[]?[16];
    private int _segmentCount;
    private long _sequence;

    public int Count { get; private set; }

    public void Enqueue(T item, long dueTicks)
    {
        if (Count == _segmentCount << SegmentShift)
        {
            AddSegment();
        }

        var entry = new Entry(dueTicks, _sequence++, item);
        var index = Count++;
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            ref var parentEntry = ref At(parent);
            if (!entry.Before(parentEntry))
            {
                break;
            }

            At(index) = parentEntry;
            index = parent;
        }

        At(index) = entry;
    }

    /// <summary>The due time of the earliest item, if any.</summary>
    public bool TryPeekDue(out long dueTicks)
    {
        dueTicks = Count == 0 ? 0 : At(0).DueTicks;
        return Count != 0;
    }

    /// <summary>Removes the earliest item if it is due at or before <paramref name="nowTicks"/>.</summary>
    public bool TryDequeueDue(long nowTicks, out T item, out long dueTicks)
    {
        if (Count == 0 || At(0).DueTicks > nowTicks)
        {
            item = default!;
            dueTicks = 0;
            return false;
        }

        ref var top = ref At(0);
        item = top.Item;
        dueTicks = top.DueTicks;
        ref var lastSlot = ref At(--Count);
        var last = lastSlot;
        lastSlot = default;
        if (Count > 0)
        {
            SiftDown(last);
        }

        if (_segmentCount > 1 && Count <= (_segmentCount - 2) << SegmentShift)
        {
            _segments[--_segmentCount] = null;
        }

        return true;
    }

    private ref Entry At(int index) => ref _segments[index >> SegmentShift]![index & SegmentMask];

    private void AddSegment()
    {
        if (_segmentCount == _segments.Length)
        {
            Array.Resize(ref _segments, _segments.Length * 2);
        }

        _segments[_segmentCount++] = new Entry[SegmentSize];
    }

    private void SiftDown(Entry entry)
    {
        var index = 0;
        var half = Count >> 1;
        while (index < half)
        {
            var child = (2 * index) + 1;
            ref var childEntry = ref At(child);
            if (child + 1 < Count)
            {
                ref var right = ref At(child + 1);
                if (right.Before(childEntry))
                {
                    child++;
                    childEntry = ref right;
                }
            }

            if (!childEntry.Before(entry))
            {
                break;
            }

            At(index) = childEntry;
            index = child;
        }

        At(index) = entry;
    }

    private readonly record struct Entry(long DueTicks, long Sequence, T Item)
    {
        public bool Before(in Entry other) => DueTicks < other.DueTicks || (DueTicks == other.DueTicks && Sequence < other.Sequence);
    }
}
