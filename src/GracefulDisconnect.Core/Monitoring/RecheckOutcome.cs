namespace GracefulDisconnect;

/// <summary>What <see cref="IRecheckHandler.RecheckAsync"/> did.</summary>
/// <param name="Result">The result.</param>
/// <param name="RetryAt">
/// When set, the scheduler must deliver the trigger again at this time: not yet due, a failure to retry, or, after
/// <see cref="RecheckResult.Notified"/> or <see cref="RecheckResult.Reminded"/> with reminders switched on, the next reminder.
/// </param>
/// <param name="Notification">The notification sent, when <paramref name="Result"/> is <see cref="RecheckResult.Notified"/> or <see cref="RecheckResult.Reminded"/>.</param>
public readonly record struct RecheckOutcome(RecheckResult Result, DateTimeOffset? RetryAt = null, DeviceNotification? Notification = null);
