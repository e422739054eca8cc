using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>
/// Marks re-checks started and finished in <see cref="PendingRechecks"/>; once the worker is stopping, a
/// re-check that comes due is not run here, because it has been handed back to the queue.
/// </summary>
internal sealed class TrackingRecheckHandler(IRecheckHandler inner, PendingRechecks pending, TimeProvider time, IOptions<GracefulDisconnectOptions> options)
    : IRecheckHandler
{
    public async ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
    {
        if (!pending.TryStart(trigger))
        {
            // No retry time: the scheduler drops it; another worker (or this one, restarted) receives it from the queue.
            return new RecheckOutcome(RecheckResult.NotYetDue);
        }

        DateTimeOffset? retryAt = null;
        try
        {
            var outcome = await inner.RecheckAsync(trigger, cancellationToken);
            retryAt = outcome.RetryAt;
            return outcome;
        }
        catch
        {
            // The in-memory scheduler retries a handler that throws after RetryDelay; owe it until then.
            retryAt = time.GetUtcNow() + options.Value.RetryDelay;
            throw;
        }
        finally
        {
            pending.Finished(trigger, retryAt);
        }
    }
}
