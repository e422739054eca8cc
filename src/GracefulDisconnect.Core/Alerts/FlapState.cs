namespace GracefulDisconnect;

/// <summary>
/// One device's flap detection: its recent distinct disconnect times and whether it is inside a flapping episode.
/// Pure and single-threaded: the device record holds it live, replay one per thing.
/// </summary>
/// <remarks>
/// An episode starts when at least <see cref="FlapThreshold.Disconnects"/> distinct disconnects (by source time)
/// fall inside a window <c>(latest - window, latest]</c>, and ends with a quiet window: a disconnect at least one
/// window after the latest one. Until then more disconnects extend the episode without a second notification.
/// Duplicates (the same source time, compared at the coarser resolution of the two as <see cref="SourceTimestamp"/> does)
/// count once. A disconnect delivered late still counts if it falls inside the
/// window of the latest one; one older than that is too old to matter and is ignored.
/// </remarks>
internal struct FlapState
{
    // Sorted, distinct, all inside the window of _latest, at most threshold entries: enough to tell whether the
    // threshold is reached, and the memory per device stays bounded however fast it flaps.
    private long[]? _recent;
    private int _count;
    private long _latest;
    private bool _flapping;

    /// <summary>Restores the state a device record kept (see <see cref="Engine.DeviceRecord"/>).</summary>
    /// <param name="recent">The distinct disconnect times inside the window, ascending.</param>
    /// <param name="latestTicks">The latest disconnect seen; <see cref="long.MinValue"/> before the first.</param>
    /// <param name="flapping">Whether an episode is under way.</param>
    public FlapState(IReadOnlyList<long> recent, long latestTicks, bool flapping)
    {
        if (latestTicks == long.MinValue)
        {
            return;
        }

        // Room for the disconnect about to be counted, so RecentTicks can usually hand the array over uncopied.
        _recent = new long[recent.Count + 1];
        for (var i = 0; i < recent.Count; i++)
        {
            _recent[i] = recent[i];
        }

        _count = recent.Count;
        _latest = latestTicks;
        _flapping = flapping;
    }

    /// <summary>The distinct disconnect times inside the window, ascending (what a device record keeps).</summary>
    /// <remarks>The state's own array when it is exactly full: a state is restored, changed once and stored (see <see cref="Engine.DeviceStateMachine"/>).</remarks>
    public readonly long[] RecentTicks => _recent is null ? [] : _count == _recent.Length ? _recent : _recent[.._count];

    /// <summary>Whether the device is inside a flapping episode.</summary>
    public readonly bool Flapping => _flapping;

    /// <summary>The latest disconnect seen, in ticks; <see cref="long.MinValue"/> before the first.</summary>
    public readonly long LatestTicks => _recent is null ? long.MinValue : _latest;

    /// <summary>Records a disconnect.</summary>
    /// <param name="atTicks">When it happened, by the source, in UTC ticks.</param>
    /// <param name="threshold">The device's threshold.</param>
    /// <returns>How many disconnects are inside the window when this one starts an episode; 0 otherwise.</returns>
    public int OnDisconnect(long atTicks, FlapThreshold threshold)
    {
        var window = threshold.Window.Ticks;
        if (_recent is null)
        {
            _recent = new long[Math.Min(threshold.Disconnects, 8)];
            _latest = atTicks;
        }
        else if (atTicks > _latest)
        {
            if (atTicks - _latest >= window)
            {
                // A quiet window: the episode, if any, is over and nothing before counts any more.
                _flapping = false;
                _count = 0;
            }

            _latest = atTicks;
        }
        else if (_latest - atTicks >= window)
        {
            return 0;
        }

        var recent = _recent.AsSpan(0, _count);
        var at = recent.BinarySearch(atTicks);
        if (at >= 0 || SameAtCoarserResolution(recent, ~at, atTicks))
        {
            return 0;
        }

        Prune(window);
        Insert(~_recent.AsSpan(0, _count).BinarySearch(atTicks), atTicks, threshold.Disconnects);
        if (_flapping || _count < threshold.Disconnects)
        {
            return 0;
        }

        _flapping = true;
        return _count;
    }

    // The same disconnect from a source of whole seconds and one of milliseconds (a shadow update and a lifecycle
    // event) reads 12:00:00 and 12:00:00.451: it counts once. Same-second times sort next to where this one goes.
    private static bool SameAtCoarserResolution(ReadOnlySpan<long> recent, int insertAt, long atTicks)
        => (insertAt > 0 && SourceTimestamp.Compare(recent[insertAt - 1], atTicks) == 0)
            || (insertAt < recent.Length && SourceTimestamp.Compare(recent[insertAt], atTicks) == 0);

    // Drops what has left the window of the latest disconnect.
    private void Prune(long window)
    {
        var recent = _recent.AsSpan(0, _count);
        var keepFrom = 0;
        while (keepFrom < recent.Length && _latest - recent[keepFrom] >= window)
        {
            keepFrom++;
        }

        if (keepFrom > 0)
        {
            recent[keepFrom..].CopyTo(recent);
            _count -= keepFrom;
        }
    }

    private void Insert(int index, long atTicks, int capacity)
    {
        if (_count == capacity)
        {
            // Full only while flapping (reaching capacity starts an episode): the oldest matters least.
            if (index == 0)
            {
                return;
            }

            _recent.AsSpan(1, index - 1).CopyTo(_recent);
            _recent![index - 1] = atTicks;
            return;
        }

        if (_count == _recent!.Length)
        {
            Array.Resize(ref _recent, Math.Min(capacity, _recent.Length * 2));
        }

        _recent.AsSpan(index, _count - index).CopyTo(_recent.AsSpan(index + 1));
        _recent[index] = atTicks;
        _count++;
    }
}
