namespace GracefulDisconnect.Samples.Worker;

/// <summary>Records every scheduled re-check in <see cref="PendingRechecks"/> before the in-memory scheduler takes it.</summary>
/// <param name="inner">The engine's scheduler.</param>
/// <param name="pending">What this process owes.</param>
internal sealed class TrackingScheduler(IScheduler inner, PendingRechecks pending) : IScheduler, IAsyncDisposable
{
    public ValueTask ScheduleAsync(DisconnectTrigger trigger, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        pending.Scheduled(trigger, dueAt);
        return inner.ScheduleAsync(trigger, dueAt, cancellationToken);
    }

    // The container disposes what it was given, this decorator: the scheduler it wraps stops its timer here.
    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
}
