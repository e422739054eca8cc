namespace GracefulDisconnect;

/// <summary>Tells someone that a device is really offline (SNS, Slack, Teams, e-mail, a file, ...).</summary>
/// <remarks>
/// Delivery is at least once: after a crash or a failed attempt the same notification may be offered
/// again. Implementations that can deduplicate should use <see cref="OfflineNotification.OutageId"/>.
/// </remarks>
public interface INotifier
{
    /// <summary>Sends the notification. Throws when it could not be sent, so the re-check is retried.</summary>
    /// <param name="notification">What to send.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes once the notification is sent.</returns>
    ValueTask NotifyAsync(OfflineNotification notification, CancellationToken cancellationToken = default);
}
