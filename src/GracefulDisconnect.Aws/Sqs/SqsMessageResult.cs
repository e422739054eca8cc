namespace GracefulDisconnect.Aws;

/// <summary>The result of handling one SQS message.</summary>
/// <param name="Action">What was done.</param>
/// <param name="Trigger">The disconnect the message stood for (none for an ignored connect event).</param>
/// <param name="Outcome">The re-check's outcome, when it ran.</param>
/// <param name="NextDeliveryAt">When a message sent back to the queue is due, if one was sent.</param>
public readonly record struct SqsMessageResult(
    SqsMessageAction Action,
    DisconnectTrigger? Trigger = null,
    RecheckOutcome? Outcome = null,
    DateTimeOffset? NextDeliveryAt = null);
