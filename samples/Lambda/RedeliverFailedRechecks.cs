namespace GracefulDisconnect.Samples.Lambda;

/// <summary>
/// Turns a failed re-check into an exception instead of a retry time. The engine's handler answers a failed
/// read or notification with "retry at now + RetryDelay", which <see cref="Aws.SqsRecheckConsumer"/> would
/// honour by sending a new message and deleting the old one; here SQS redelivers the same message instead, so
/// its receive count grows and a record that keeps failing (a missing permission) reaches the dead-letter queue
/// rather than circling forever.
/// </summary>
/// <param name="inner">The engine's handler.</param>
internal sealed class RedeliverFailedRechecks(IRecheckHandler inner) : IRecheckHandler
{
    public async ValueTask<RecheckOutcome> RecheckAsync(DisconnectTrigger trigger, CancellationToken cancellationToken = default)
    {
        var outcome = await inner.RecheckAsync(trigger, cancellationToken);
        return outcome.Result == RecheckResult.Failed
            ? throw new RecheckFailedException($"The re-check of {trigger.ThingName} (offline since {trigger.DisconnectedAt:o}) failed; the cause is logged just before.")
            : outcome;
    }
}
