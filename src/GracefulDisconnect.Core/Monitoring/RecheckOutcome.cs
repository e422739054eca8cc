namespace GracefulDisconnect;

/// <summary>What <see cref="IRecheckHandler.RecheckAsync"/> did.</summary>
/// <param name="Result">The result.</param>
/// <param name="RetryAt">
/// When the device needs the handler next, if it does: its re-check not yet due, a failed read to retry, its next
/// reminder or silence check. The engine has asked the scheduler for this wake already.
/// </param>
/// <param name="Notification">The (first) notification the step put in the outbox, when <paramref name="Result"/> is <see cref="RecheckResult.Notified"/> or <see cref="RecheckResult.Reminded"/>.</param>
public readonly record struct RecheckOutcome(RecheckResult Result, DateTimeOffset? RetryAt = null, DeviceNotification? Notification = null);
