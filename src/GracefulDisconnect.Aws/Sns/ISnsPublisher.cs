namespace GracefulDisconnect.Aws;

/// <summary>Publishes offline notifications to the configured SNS topic and tells the SNS message id.</summary>
public interface ISnsPublisher
{
    /// <summary>Publishes one notification (retrying throttling and server errors).</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    /// <returns>The SNS <c>MessageId</c>.</returns>
    /// <exception cref="AwsServiceException">SNS refused the message, or kept failing until retries ran out.</exception>
    ValueTask<string> PublishAsync(DeviceNotification notification, CancellationToken cancellationToken = default);
}
