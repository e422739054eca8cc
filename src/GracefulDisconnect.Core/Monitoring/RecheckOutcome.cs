namespace GracefulDisconnect;

/// <summary>What <see cref="IRecheckHandler.RecheckAsync"/> did.</summary>
/// <param name="Result">The result.</param>
/// <param name="RetryAt">When set, the scheduler must deliver the trigger again at this time (not yet due, or a failure to retry).</param>
/// <param name="Notification">The notification sent, when <paramref name="Result"/> is <see cref="RecheckResult.Notified"/>.</param>
public readonly record struct RecheckOutcome(RecheckResult Result, DateTimeOffset? RetryAt = null, DeviceNotification? Notification = null);
