namespace GracefulDisconnect;

/// <summary>Tells someone that a device is really offline (SNS, Slack, Teams, e-mail, a file, ...).</summary>
/// <remarks>
/// Delivery is at least once: after a crash or a failed attempt the same notification may be offered
/// again. Implementations that can deduplicate should use <see cref="DeviceNotification.OutageId"/>.
/// A failure is logged with the exception the notifier threw, message included, as it is: keep secrets
/// (webhook URLs, tokens) out of exception messages. <see cref="System.Net.Http.HttpClient"/>'s own exceptions
/// name at most the host, never the path or query that a webhook's secret lives in.
/// </remarks>
public interface INotifier
{
    /// <summary>Sends the notification. Throws when it could not be sent, so the re-check is retried.</summary>
    /// <param name="notification">What to send.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes once the notification is sent.</returns>
    ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default);
}
