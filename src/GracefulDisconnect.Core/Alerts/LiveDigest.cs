using Microsoft.Extensions.Logging;

namespace GracefulDisconnect;

/// <summary>
/// Storm digests in real time: offline notifications are held per group by a <see cref="DigestBatcher{T}"/> and a
/// single <see cref="TimeProvider"/> timer armed for the next batch to close. A closed batch with enough devices goes
/// out as one digest to every channel, a smaller one as its notifications, each on its own. Every held
/// <see cref="SendAsync"/> completes when its batch has been sent, or fails with the batch's failure, so the re-check
/// that waits on it confirms or gives back its ledger claim as if it had sent alone: a failed digest fails every
/// re-check in it, and each is retried later. Thread-safe.
/// </summary>
internal sealed class LiveDigest : IAsyncDisposable
{
    private readonly DigestBatcher<Held> _batcher;
    private readonly Func<string, string> _groupOf;
    private readonly Lazy<NotificationDispatcher> _dispatcher;
    private readonly NotificationFormatter _formatter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GracefulDisconnectMetrics _metrics;
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _releasing = [];
    private readonly ITimer _timer;
    private long _armedForTicks = long.MaxValue;
    private bool _disposed;

    public LiveDigest(
        DigestThreshold threshold,
        Func<string, string> groupOf,
        Lazy<NotificationDispatcher> dispatcher,
        NotificationFormatter formatter,
        TimeProvider time,
        ILogger logger,
        GracefulDisconnectMetrics metrics)
    {
        _batcher = new DigestBatcher<Held>(threshold);
        _groupOf = groupOf;
        _dispatcher = dispatcher;
        _formatter = formatter;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _timer = time.CreateTimer(static state => ((LiveDigest)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many notifications are held.</summary>
    public int HeldCount
    {
        get
        {
            lock (_lock)
            {
                return _batcher.Held;
            }
        }
    }

    /// <summary>Holds an offline notification until its batch is sent.</summary>
    /// <returns>A task that completes once it was sent, alone or in a digest; it fails when that failed.</returns>
    public async ValueTask SendAsync(DeviceNotification notification, CancellationToken cancellationToken)
    {
        var group = _groupOf(notification.ThingName);
        ArgumentException.ThrowIfNullOrEmpty(group, "DigestGroup(thing)");
        var held = new Held(notification);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow().UtcTicks;
            _batcher.Add(group, notification.ThingName, held, now);

            if (_batcher.TryPeekClose(out var closes) && closes < _armedForTicks)
            {
                Arm(closes, now);
            }
        }

        _metrics.DigestHeld(1);

        // Waiting for the batch is not work: let the scheduler start the next re-checks, which may join it.
        RecheckSlot.ReleaseCurrent();
        try
        {
            await held.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The re-check gives its claim back: the batch must not send this one on its behalf.
            held.TryCancel();
            throw;
        }
    }

    /// <summary>Sends every batch now, closed or not (the host is stopping): nothing held is lost.</summary>
    public void Flush() => CloseDue(long.MaxValue);

    public async ValueTask DisposeAsync()
    {
        Task[] releasing;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        CloseDue(long.MaxValue);
        lock (_lock)
        {
            releasing = [.. _releasing];
        }

        await Task.WhenAll(releasing).ConfigureAwait(false);
    }

    // Called with _lock held.
    private void Arm(long closesTicks, long nowTicks)
    {
        _armedForTicks = closesTicks;
        _timer.Change(TimeSpan.FromTicks(Math.Clamp(closesTicks - nowTicks, 0, TimeSpan.TicksPerDay)), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            _armedForTicks = long.MaxValue;
        }

        CloseDue(_time.GetUtcNow().UtcTicks);
    }

    private void CloseDue(long nowTicks)
    {
        var closed = new List<(DigestBatch<Held> Batch, bool IsDigest)>();
        lock (_lock)
        {
            while (_batcher.TryCloseDue(nowTicks, out var batch, out var isDigest))
            {
                closed.Add((batch, isDigest));
            }

            if (!_disposed && _batcher.TryPeekClose(out var next) && next < _armedForTicks)
            {
                Arm(next, _time.GetUtcNow().UtcTicks);
            }

            foreach (var (batch, isDigest) in closed)
            {
                var task = Task.Run(() => ReleaseAsync(batch, isDigest));
                _releasing.Add(task);
                _ = task.ContinueWith(
                    static (done, state) =>
                    {
                        var digest = (LiveDigest)state!;
                        lock (digest._lock)
                        {
                            digest._releasing.Remove(done);
                        }
                    },
                    this,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
    }

    private async Task ReleaseAsync(DigestBatch<Held> batch, bool isDigest)
    {
        _metrics.DigestHeld(-batch.Items.Count);
        var items = batch.Items.Select(item => item.Item).Where(held => held.TryStartSending()).ToList();
        if (items.Count == 0)
        {
            return;
        }

        var things = items.Select(held => held.Notification.ThingName).Distinct(StringComparer.Ordinal).ToList();

        // Re-checks that gave up waiting (cancelled) are left out, so the batch may have fallen below the minimum.
        if (isDigest && things.Count >= _batcher.Threshold.MinThings)
        {
            await SendDigestAsync(batch.Group, items, things).ConfigureAwait(false);
            return;
        }

        await Task.WhenAll(items.Select(SendAloneAsync)).ConfigureAwait(false);
    }

    private async Task SendDigestAsync(string group, List<Held> items, List<string> things)
    {
        var earliest = items.MinBy(held => held.Notification.OfflineSince)!.Notification;
        var latest = items.Max(held => held.Notification.OfflineSince);
        var digest = _formatter.CreateDigest(group, things, earliest.OfflineSince, latest, _batcher.Threshold.Window, _time.GetUtcNow(), earliest.GracePeriod);
        try
        {
            await _dispatcher.Value.SendAsync(digest, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _metrics.AlertFailed(NotificationKind.Digest);
            Log.DigestFailed(_logger, digest.NotificationId, things.Count, exception);
            foreach (var held in items)
            {
                held.Completion.TrySetException(exception);
            }

            return;
        }

        _metrics.AlertSent(NotificationKind.Digest);
        Log.DigestSent(_logger, digest.NotificationId, things.Count);
        foreach (var held in items)
        {
            held.Completion.TrySetResult();
        }
    }

    private async Task SendAloneAsync(Held held)
    {
        try
        {
            await _dispatcher.Value.SendAsync(held.Notification, CancellationToken.None).ConfigureAwait(false);
            held.Completion.TrySetResult();
        }
        catch (Exception exception)
        {
            held.Completion.TrySetException(exception);
        }
    }

    /// <summary>One held notification and the re-check waiting on it.</summary>
    private sealed class Held(DeviceNotification notification)
    {
        private const int Waiting = 0;
        private const int Cancelled = 1;
        private const int Sending = 2;
        private int _state;

        public DeviceNotification Notification { get; } = notification;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting;

        public bool TryStartSending() => Interlocked.CompareExchange(ref _state, Sending, Waiting) == Waiting;
    }
}
