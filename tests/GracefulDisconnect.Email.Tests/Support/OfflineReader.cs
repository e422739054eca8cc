namespace GracefulDisconnect.Email.Tests.Support;

/// <summary>Every thing has been offline since <see cref="Notifications.Since"/>.</summary>
public sealed class OfflineReader : IShadowReader
{
    public ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<ConnectionSnapshot?>(new ConnectionSnapshot(false, Notifications.Since));
}
