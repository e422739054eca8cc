namespace GracefulDisconnect;

/// <summary>
/// Groups notifications for a storm digest, in virtual or real time: the first notification of a group opens a batch
/// that collects the group's notifications decided before <c>opened + window</c>; when it closes, a batch with at least
/// <see cref="DigestThreshold.MinThings"/> devices becomes one digest, a smaller one is released as it is. Nothing is
/// ever dropped: every held notification leaves in exactly one closed batch. Pure and single-threaded.
/// </summary>
/// <typeparam name="T">What is held per notification.</typeparam>
internal sealed class DigestBatcher<T>(DigestThreshold threshold)
{
    private readonly Dictionary<string, DigestBatch<T>> _open = new(StringComparer.Ordinal);

    // The window is the same for every batch, so batches close in the order they opened.
    private readonly Queue<DigestBatch<T>> _closing = new();

    /// <summary>The threshold.</summary>
    public DigestThreshold Threshold { get; } = threshold;

    /// <summary>How many notifications are held.</summary>
    public int Held { get; private set; }

    /// <summary>Holds a notification decided at <paramref name="nowTicks"/>; close due batches first.</summary>
    public void Add(string group, string thing, T item, long nowTicks)
    {
        if (!_open.TryGetValue(group, out var batch))
        {
            var closes = nowTicks > DateTimeOffset.MaxValue.UtcTicks - Threshold.Window.Ticks ? DateTimeOffset.MaxValue.UtcTicks : nowTicks + Threshold.Window.Ticks;
            batch = new DigestBatch<T>(group, nowTicks, closes);
            _open.Add(group, batch);
            _closing.Enqueue(batch);
        }

        batch.Add(thing, item);
        Held++;
    }

    /// <summary>When the next batch closes.</summary>
    public bool TryPeekClose(out long closesTicks)
    {
        var any = _closing.TryPeek(out var batch);
        closesTicks = any ? batch!.ClosesTicks : long.MaxValue;
        return any;
    }

    /// <summary>Closes the next batch when it is due at <paramref name="nowTicks"/>.</summary>
    /// <param name="nowTicks">The time now.</param>
    /// <param name="batch">The closed batch.</param>
    /// <param name="isDigest">Whether it holds enough devices to be sent as one digest.</param>
    /// <returns>Whether a batch was due.</returns>
    public bool TryCloseDue(long nowTicks, out DigestBatch<T> batch, out bool isDigest)
    {
        if (!_closing.TryPeek(out batch!) || batch.ClosesTicks > nowTicks)
        {
            isDigest = false;
            return false;
        }

        _closing.Dequeue();
        _open.Remove(batch.Group);
        Held -= batch.Items.Count;
        isDigest = batch.ThingCount >= Threshold.MinThings;
        return true;
    }
}
