using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect;

/// <summary>
/// The in-process <see cref="IScheduler"/> (<see cref="GracefulDisconnectBuilder.UseInMemoryScheduler"/>): a heap of
/// pending wakes and a single <see cref="TimeProvider"/> timer armed for the earliest one, so each device is stepped
/// at its wake time instead of at the due loop's next poll. Due wakes go to the <see cref="IRecheckHandler"/> (the
/// engine) with bounded concurrency; the engine schedules each next wake itself. The heap lives in memory, but the wakes
/// are also in the engine's store, so a restart loses none: the due loop finds them.
/// </summary>
internal sealed class InMemoryScheduler : IScheduler, IAsyncDisposable
{
    // ITimer accepts at most ~49 days; re-arming daily keeps far-off due times exact.
    private static readonly long MaxTimerTicks = TimeSpan.TicksPerDay;

    private readonly Lock _gate = new();
    private readonly DueQueue<PendingRecheck> _queue = new();
    private readonly HashSet<Task> _inFlight = [];
    // Resolved at the first wake: the handler (the engine) takes this scheduler, so it cannot be built first.
    private readonly Lazy<IRecheckHandler> _handler;
    private readonly TimeProvider _time;
    private readonly GracefulDisconnectOptions _options;
    private readonly ILogger _logger;
    private readonly GracefulDisconnectMetrics _metrics;
    private readonly SemaphoreSlim _concurrency;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _timer;
    private long _armedForTicks = long.MaxValue;
    private bool _draining;
    private bool _disposed;

    public InMemoryScheduler(
        Func<IRecheckHandler> handler,
        TimeProvider time,
        IOptions<GracefulDisconnectOptions> options,
        ILogger<InMemoryScheduler> logger,
        GracefulDisconnectMetrics metrics)
    {
        _handler = new Lazy<IRecheckHandler>(handler);
        _time = time;
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
        _concurrency = new SemaphoreSlim(_options.MaxConcurrentRechecks);
        _timer = time.CreateTimer(static state => ((InMemoryScheduler)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Re-checks waiting for their due time (running ones excluded).</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(trigger.ThingName, nameof(trigger));
        ObjectDisposedException.ThrowIf(!TryEnqueue(trigger, dueAt.UtcTicks), this);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        int pending;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            running = [.. _inFlight];
            pending = _queue.Count;
        }

        await _timer.DisposeAsync().ConfigureAwait(false);

        // In-flight re-checks finish: a notification half sent is worse than one not started.
        await Task.WhenAll(running).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
        Log.SchedulerStopped(_logger, pending);
    }

    private bool TryEnqueue(in DisconnectTrigger trigger, long dueTicks)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _queue.Enqueue(new PendingRecheck(trigger), dueTicks);
            if (dueTicks < _armedForTicks && !_draining)
            {
                Arm(dueTicks);
            }
        }

        _metrics.PendingChanged(1);
        return true;
    }

    // Called with _gate held.
    private void Arm(long dueTicks)
    {
        _armedForTicks = dueTicks;
        var delay = Math.Clamp(dueTicks - _time.GetUtcNow().UtcTicks, 0, MaxTimerTicks);
        _timer.Change(TimeSpan.FromTicks(delay), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _armedForTicks = long.MaxValue;
            if (_draining || _disposed)
            {
                return;
            }

            _draining = true;
        }

        _ = Task.Run(DrainAsync);
    }

    private async Task DrainAsync()
    {
        var due = new List<DisconnectTrigger>();
        while (true)
        {
            due.Clear();
            lock (_gate)
            {
                var now = _time.GetUtcNow().UtcTicks;
                while (!_disposed && _queue.TryDequeueDue(now, out var pending, out _))
                {
                    due.Add(pending.ToTrigger());
                }

                if (due.Count == 0)
                {
                    _draining = false;
                    if (!_disposed && _queue.TryPeekDue(out var next))
                    {
                        Arm(next);
                    }

                    return;
                }
            }

            _metrics.PendingChanged(-due.Count);
            foreach (var trigger in due)
            {
                await _concurrency.WaitAsync().ConfigureAwait(false);
                if (!TryStart(trigger))
                {
                    // Disposed meanwhile: like the re-checks still pending, the rest are dropped.
                    _concurrency.Release();
                    break;
                }
            }
        }
    }

    // The re-check is registered as in flight before it starts: DisposeAsync waits for what is
    // registered, so one that has already reached the reader or the notifier cannot slip past it.
    private bool TryStart(DisconnectTrigger trigger)
    {
        var start = new Task<Task>(
            static state =>
            {
                var (scheduler, trigger) = ((InMemoryScheduler, DisconnectTrigger))state!;
                return scheduler.RunAsync(trigger);
            },
            (this, trigger));
        var task = start.Unwrap();
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _inFlight.Add(task);
        }

        start.Start(TaskScheduler.Default);
        _ = task.ContinueWith(
            static (completed, state) =>
            {
                var scheduler = (InMemoryScheduler)state!;
                lock (scheduler._gate)
                {
                    scheduler._inFlight.Remove(completed);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return true;
    }

    private async Task RunAsync(DisconnectTrigger trigger)
    {
        try
        {
            await _handler.Value.RecheckAsync(trigger, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (!_stopping.IsCancellationRequested)
        {
            // A handler is not supposed to throw (the engine throws when its store fails); if it does, the wake is retried.
            var retryAt = _time.GetUtcNow() + _options.RetryDelay;
            Log.RecheckThrew(_logger, trigger.ThingName, retryAt, exception);
            TryEnqueue(trigger, retryAt.UtcTicks);
        }
        finally
        {
            _concurrency.Release();
        }
    }
}
