namespace GracefulDisconnect.Samples.Worker;

/// <summary>
/// Which re-checks this process still owes: scheduled and not yet started, or running. The in-memory
/// scheduler keeps them only in memory, and the queue message was deleted once they were scheduled, so on
/// a stop the worker hands the ones not started back to the queue (<see cref="Close"/>) and lets the running
/// ones finish (<see cref="WhenIdleAsync"/>).
/// </summary>
internal sealed class PendingRechecks
{
    private readonly Lock _gate = new();
    private readonly Dictionary<DisconnectTrigger, DateTimeOffset> _pending = [];
    private readonly List<(DisconnectTrigger Trigger, DateTimeOffset DueAt)> _late = [];
    private TaskCompletionSource? _idle;
    private int _running;
    private bool _closed;

    /// <summary>Scheduled and not yet started.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Started and not yet finished.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    public void Scheduled(DisconnectTrigger trigger, DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            if (_closed)
            {
                _late.Add((trigger, dueAt));
            }
            else
            {
                _pending[trigger] = dueAt;
            }
        }
    }

    /// <summary>False once closed: the trigger has been handed back to the queue and must not run here too.</summary>
    public bool TryStart(DisconnectTrigger trigger)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _pending.Remove(trigger);
            _running++;
            return true;
        }
    }

    /// <summary>A started re-check ended; <paramref name="retryAt"/> when the scheduler will run it again.</summary>
    public void Finished(DisconnectTrigger trigger, DateTimeOffset? retryAt)
    {
        lock (_gate)
        {
            _running--;
            if (retryAt is { } at)
            {
                if (_closed)
                {
                    _late.Add((trigger, at));
                }
                else
                {
                    _pending[trigger] = at;
                }
            }

            if (_closed && _running == 0)
            {
                _idle?.TrySetResult();
            }
        }
    }

    /// <summary>Stops starting re-checks and returns those not started, to hand back.</summary>
    public IReadOnlyList<(DisconnectTrigger Trigger, DateTimeOffset DueAt)> Close()
    {
        lock (_gate)
        {
            _closed = true;
            var owed = _pending.Select(pair => (pair.Key, pair.Value)).ToList();
            _pending.Clear();
            return owed;
        }
    }

    /// <summary>Waits for the running re-checks (after <see cref="Close"/>) and returns the retries they asked for.</summary>
    public async Task<IReadOnlyList<(DisconnectTrigger Trigger, DateTimeOffset DueAt)>> WhenIdleAsync(CancellationToken cancellationToken)
    {
        Task idle;
        lock (_gate)
        {
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_running == 0)
            {
                _idle.TrySetResult();
            }

            idle = _idle.Task;
        }

        await idle.WaitAsync(cancellationToken);
        lock (_gate)
        {
            var late = _late.ToList();
            _late.Clear();
            return late;
        }
    }
}
