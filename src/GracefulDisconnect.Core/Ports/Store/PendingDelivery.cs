namespace GracefulDisconnect;

/// <summary>An undelivered outbox message, claimed for sending (<see cref="IDeviceStore.ClaimDeliveriesAsync"/>).</summary>
/// <param name="Sequence">The store's id of the message; commit order within a channel.</param>
/// <param name="Channel">The channel.</param>
/// <param name="NotificationId">The notification's id.</param>
/// <param name="Payload">The notification, as the engine wrote it.</param>
/// <param name="Attempts">How many attempts failed so far.</param>
public sealed record PendingDelivery(long Sequence, string Channel, string NotificationId, string Payload, int Attempts);
