using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// A durable <see cref="IScheduler"/>: pending re-checks are rows in SQLite, so they survive a crash and a
/// restart. Scheduling goes through <see cref="PendingRecheckWriter"/> (batched, completes once committed).
/// A dispatcher loop, started by the host, runs due rows with bounded concurrency and deletes a row only
/// after its re-check returned, so every re-check runs at least once. It sleeps on the
/// <see cref="TimeProvider"/> until the next due time, and wakes early when a re-check finishes or an
/// earlier one is scheduled. Rows that came due while the process was down run as soon as it starts.
/// </summary>
internal sealed class SqliteScheduler : IScheduler, IAsyncDisposable, IDisposable
{
    // ITimer accepts at most ~49 days; the poll interval is far below that anyway.
    private static readonly long MaxWaitTicks = TimeSpan.TicksPerDay;

    private readonly Lock _gate = new();
    private readonly Dictionary<PendingRecheckKey, Task?> _inFlight = [];

    // In-flight re-checks that gave their slot back while they wait (a notification held for a digest).
    private int _waiting;

    // Re-checks that finished while a pass was reading: the pass may have read their row before it was
    // deleted or moved, so it must not start them again. Null when no pass is reading.
    private HashSet<PendingRecheckKey>? _finishedDuringRead;
    private readonly SqliteDatabase _database;
    private readonly IRecheckHandler _handler;
    private readonly TimeProvider _time;
    private readonly GracefulDisconnectOptions _engine;
    private readonly SqliteStoreOptions _store;
    private readonly ILogger _logger;
    private readonly PendingRecheckQueries _queries;
    private readonly PendingRecheckWriter _writer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private TaskCompletionSource _wake = NewWake();
    private long _plannedWakeTicks = long.MaxValue;
    private Task? _dispatcher;
    private int _disposed;

    public SqliteScheduler(
        SqliteDatabase database,
        IRecheckHandler handler,
        TimeProvider time,
        IOptions<GracefulDisconnectOptions> engineOptions,
        IOptions<SqliteStoreOptions> storeOptions,
        ILogger<SqliteScheduler> logger)
    {
        _database = database;
        _handler = handler;
        _time = time;
        _engine = engineOptions.Value;
        _store = storeOptions.Value;
        _logger = logger;
        _queries = new PendingRecheckQueries(database);

        // The writer runs from the start, so re-checks can be scheduled before the host starts dispatching.
        _writer = new PendingRecheckWriter(database, _store.MaxScheduleBatchSize, OnCommitted, logger);
    }

    internal PendingRecheckQueries Queries => _queries;

    internal PendingRecheckWriter Writer => _writer;

    /// <summary>Re-checks running now.</summary>
    internal int InFlightCount
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

    public ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(trigger.ThingName, nameof(trigger));
        var committed = _writer.ScheduleAsync(PendingRecheck.From(trigger, dueAt.UtcTicks));

        // Cancelling stops the wait, not the write: once queued, the row is committed anyway.
        return new ValueTask(cancellationToken.CanBeCanceled ? committed.WaitAsync(cancellationToken) : committed);
    }

    /// <summary>Starts the dispatcher loop.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            _dispatcher ??= Task.Run(DispatchLoopAsync);
        }
    }

    /// <summary>
    /// Stops dispatching and waits for the re-checks in flight to finish; when <paramref name="cancellationToken"/>
    /// fires first, they are cancelled and their rows stay for the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task? dispatcher;
        lock (_gate)
        {
            dispatcher = _dispatcher;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (dispatcher is null)
        {
            return;
        }

        using (cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _aborting))
        {
            await dispatcher.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _aborting.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    // A commit wakes the dispatcher only when it wrote something due before the dispatcher means to look
    // again; _plannedWakeTicks is long.MaxValue while a pass runs, so nothing committed during one is missed.
    private void OnCommitted(long earliestDueTicks)
    {
        if (earliestDueTicks <= Volatile.Read(ref _plannedWakeTicks))
        {
            Wake();
        }
    }

    private async Task DispatchLoopAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            var (pending, due) = await _queries.CountAsync(_time.GetUtcNow().UtcTicks, stopping).ConfigureAwait(false);
            SqliteLog.SchedulerStarted(_logger, _database.Path, pending, due);
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            SqliteLog.DispatchFailed(_logger, _time.GetUtcNow(), exception);
        }

        while (!stopping.IsCancellationRequested)
        {
            Volatile.Write(ref _plannedWakeTicks, long.MaxValue);
            var wake = Volatile.Read(ref _wake);
            if (wake.Task.IsCompleted)
            {
                wake = NewWake();
                Volatile.Write(ref _wake, wake);
            }

            long wakeAtTicks;
            try
            {
                wakeAtTicks = await DispatchDueAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                var retryAt = _time.GetUtcNow() + _engine.RetryDelay;
                SqliteLog.DispatchFailed(_logger, retryAt, exception);
                wakeAtTicks = retryAt.UtcTicks;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                break;
            }

            Volatile.Write(ref _plannedWakeTicks, wakeAtTicks);
            await WaitAsync(wake.Task, wakeAtTicks, stopping).ConfigureAwait(false);
        }

        Task?[] running;
        lock (_gate)
        {
            running = [.. _inFlight.Values];
        }

        // In-flight re-checks finish: a notification half sent is worse than one not started.
        await Task.WhenAll(running.OfType<Task>()).ConfigureAwait(false);
        SqliteLog.SchedulerStopped(_logger, _database.Path);
    }

    // Starts as many due re-checks as there are free slots; returns when to look again.
    private async Task<long> DispatchDueAsync(CancellationToken stopping)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var poll = Math.Min(_store.SchedulerPollInterval.Ticks, MaxWaitTicks);
        int running;
        int inFlight;
        HashSet<PendingRecheckKey> finishedDuringRead = [];
        lock (_gate)
        {
            inFlight = _inFlight.Count;
            running = inFlight - _waiting;
            if (running < _engine.MaxConcurrentRechecks)
            {
                _finishedDuringRead = finishedDuringRead;
            }
        }

        var free = _engine.MaxConcurrentRechecks - running;
        if (free <= 0)
        {
            // Full: a finishing re-check wakes the loop.
            return now + poll;
        }

        // Rows in flight are still stored and due (deleted only when done); ask for enough to fill every
        // free slot even if all of them come back.
        List<PendingRecheck> due;
        try
        {
            due = await _queries.ReadDueAsync(now, inFlight + free, stopping).ConfigureAwait(false);
        }
        catch
        {
            StopCollectingFinished();
            throw;
        }

        var started = 0;
        foreach (var recheck in due)
        {
            // Once stopping, nothing new starts: a row whose re-check was just cancelled is due again and must stay.
            if (started == free || stopping.IsCancellationRequested)
            {
                break;
            }

            var key = recheck.Key;
            lock (_gate)
            {
                // A row read before its re-check finished is stale; if it is still due, the next pass (which
                // the finishing re-check woke) reads it afresh.
                if (finishedDuringRead.Contains(key) || !_inFlight.TryAdd(key, null))
                {
                    continue;
                }
            }

            // Off this loop: the handler's storage calls may complete synchronously and would serialize otherwise.
            var task = Task.Run(() => RunAsync(recheck), CancellationToken.None);
            lock (_gate)
            {
                if (_inFlight.ContainsKey(key))
                {
                    _inFlight[key] = task;
                }
            }

            started++;
        }

        // Only now: a re-check that finished after the read, before its row came up in the loop, was stale too.
        StopCollectingFinished();
        if (started == free)
        {
            return now;
        }

        var next = await _queries.NextDueAfterAsync(now, stopping).ConfigureAwait(false);
        return Math.Min(next ?? long.MaxValue, now + poll);
    }

    private void StopCollectingFinished()
    {
        lock (_gate)
        {
            _finishedDuringRead = null;
        }
    }

    private async Task RunAsync(PendingRecheck recheck)
    {
        var trigger = recheck.ToTrigger();
        var slot = RecheckSlot.Enter(() =>
        {
            lock (_gate)
            {
                _waiting++;
            }

            Wake();
        });
        try
        {
            _aborting.Token.ThrowIfCancellationRequested();
            RecheckOutcome outcome;
            try
            {
                outcome = await _handler.RecheckAsync(trigger, _aborting.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (!_aborting.IsCancellationRequested)
            {
                // A handler is not supposed to throw; if it does, the row stays and is retried, never dropped.
                var retryAt = _time.GetUtcNow() + _engine.RetryDelay;
                SqliteLog.RecheckThrew(_logger, trigger.ThingName, retryAt, exception);
                outcome = new RecheckOutcome(RecheckResult.Failed, retryAt);
            }

            if (outcome.RetryAt is { } retry)
            {
                await _writer.RescheduleAsync(recheck with { DueTicks = retry.UtcTicks }).ConfigureAwait(false);
            }
            else
            {
                await _writer.DeleteAsync(recheck.Key).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_aborting.IsCancellationRequested)
        {
            // Stopped before the re-check finished: the row stays and runs after the next start.
        }
        catch (Exception exception)
        {
            SqliteLog.RecheckOutcomeNotRecorded(_logger, trigger.ThingName, exception);

            // The row is still due; holding its slot for a while keeps a failing disk from turning into a busy loop.
            await DelayAsync(_engine.RetryDelay, _stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            var gaveSlotBack = slot.Close();
            lock (_gate)
            {
                _inFlight.Remove(recheck.Key);
                _finishedDuringRead?.Add(recheck.Key);
                if (gaveSlotBack)
                {
                    _waiting--;
                }
            }

            Wake();
        }
    }

    private async Task WaitAsync(Task wake, long untilTicks, CancellationToken stopping)
    {
        var delay = untilTicks - _time.GetUtcNow().UtcTicks;
        if (delay <= 0 || wake.IsCompleted || stopping.IsCancellationRequested)
        {
            return;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var sleep = Task.Delay(TimeSpan.FromTicks(Math.Min(delay, MaxWaitTicks)), _time, timer.Token);
        await Task.WhenAny(wake, sleep).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
