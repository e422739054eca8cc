namespace GracefulDisconnect.Mqtt;

/// <summary>
/// The last state forwarded to the engine per device, so that a retained message the broker repeats on every new
/// subscription (after our reconnect, or a restart of the source in the same process) is not forwarded again as if it
/// were news. Only states the engine has recorded are remembered. Bounded: past the capacity an arbitrary device is
/// forgotten, and its next retained repeat is forwarded once more, which the engine treats as the same outage.
/// It lives as long as the process: across a process restart the engine's store is what tells a repeat.
/// </summary>
internal sealed class RetainedStateMemory(int capacity)
{
    private readonly Dictionary<string, bool> _connected = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _connected.Count;
            }
        }
    }

    public bool? LastForwarded(string thing)
    {
        lock (_lock)
        {
            return _connected.TryGetValue(thing, out var connected) ? connected : null;
        }
    }

    public void Remember(IEnumerable<KeyValuePair<string, bool>> states)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var (thing, connected) in states)
            {
                if (!_connected.ContainsKey(thing) && _connected.Count >= capacity)
                {
                    // Forgetting costs at most one repeated event, which the engine absorbs; unbounded growth costs the host.
                    using var any = _connected.Keys.GetEnumerator();
                    if (any.MoveNext())
                    {
                        _connected.Remove(any.Current);
                    }
                }

                _connected[thing] = connected;
            }
        }
    }
}
