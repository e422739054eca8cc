namespace GracefulDisconnect;

/// <summary>
/// A running re-check's place among a scheduler's <see cref="GracefulDisconnectOptions.MaxConcurrentRechecks"/>. A
/// re-check that only waits (its notification held for a storm digest) gives the place back early, so the next due
/// re-checks start meanwhile: a thousand devices dropping together fill one digest instead of going out sixteen at a
/// time, one window after another. The scheduler sets the slot around its handler call; it flows to the handler's
/// awaits through an <see cref="AsyncLocal{T}"/>.
/// </summary>
public sealed class RecheckSlot
{
    private static readonly AsyncLocal<RecheckSlot?> Current = new();
    private Action? _release;

    private RecheckSlot(Action release) => _release = release;

    /// <summary>Makes the calling async flow (the handler call that follows) hold a slot; <paramref name="release"/> frees it once.</summary>
    /// <param name="release">Gives the place back to the scheduler (called at most once).</param>
    /// <returns>The slot: <see cref="Close"/> it when the handler call has returned.</returns>
    public static RecheckSlot Enter(Action release)
    {
        var slot = new RecheckSlot(release);
        Current.Value = slot;
        return slot;
    }

    /// <summary>Frees the slot of the re-check running in this async flow, if any, ahead of its end.</summary>
    public static void ReleaseCurrent() => Current.Value?.Release();

    /// <summary>Frees the slot; later calls do nothing.</summary>
    public void Release() => Interlocked.Exchange(ref _release, null)?.Invoke();

    /// <summary>Ends the slot without freeing it, for schedulers that count their re-checks themselves.</summary>
    /// <returns>Whether it had been freed early (so the scheduler stopped counting the re-check then).</returns>
    public bool Close() => Interlocked.Exchange(ref _release, null) is null;
}
