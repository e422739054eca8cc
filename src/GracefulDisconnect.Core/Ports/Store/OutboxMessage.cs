namespace GracefulDisconnect;

/// <summary>A message for one channel, written to the outbox in the same commit as the state that produced it.</summary>
/// <param name="Channel">The channel's name (one entry per notification and channel, so each channel is retried alone).</param>
/// <param name="NotificationId">The notification's id (<see cref="DeviceNotification.NotificationId"/>): a store keeps one message per channel and id.</param>
/// <param name="Payload">The notification, as the engine wrote it (opaque to the store).</param>
public sealed record OutboxMessage(string Channel, string NotificationId, string Payload);
