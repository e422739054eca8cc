namespace GracefulDisconnect.Aws;

/// <summary>The <see cref="INotifier"/> face of <see cref="ISnsPublisher"/>: the engine needs no message id.</summary>
internal sealed class SnsNotifier(ISnsPublisher publisher) : INotifier
{
    public async ValueTask NotifyAsync(DeviceNotification notification, CancellationToken cancellationToken = default)
        => await publisher.PublishAsync(notification, cancellationToken).ConfigureAwait(false);
}
