namespace GracefulDisconnect.Engine;

/// <summary>
/// The registered notifiers, each under a stable name: the outbox keeps one message per notification and channel
/// name, so the name must be the same after a restart. A notifier's name is its <see cref="INamedNotifier.Name"/>, else
/// its type's name; <c>-2</c>, <c>-3</c>, ... follow for further notifiers of the same name in registration order.
/// </summary>
internal sealed class NotificationChannels
{
    public NotificationChannels(IEnumerable<INotifier> notifiers)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var channels = new List<Channel>();
        foreach (var notifier in notifiers)
        {
            var name = notifier is INamedNotifier { Name: { Length: > 0 } own } ? own : notifier.GetType().Name;
            var count = seen[name] = seen.GetValueOrDefault(name) + 1;
            channels.Add(new Channel(count == 1 ? name : $"{name}-{count}", notifier));
        }

        All = channels;
    }

    public IReadOnlyList<Channel> All { get; }

    /// <summary>One outbox message per channel for each notification.</summary>
    public IReadOnlyList<OutboxMessage> Messages(IReadOnlyList<DeviceNotification> notifications)
    {
        if (notifications.Count == 0)
        {
            // Most steps send nothing: no list for them on the ingest's hot path.
            return [];
        }

        var messages = new List<OutboxMessage>(notifications.Count * All.Count);
        foreach (var notification in notifications)
        {
            var payload = NotificationPayload.Write(notification);
            foreach (var channel in All)
            {
                messages.Add(new OutboxMessage(channel.Name, notification.NotificationId, payload));
            }
        }

        return messages;
    }

    public sealed record Channel(string Name, INotifier Notifier);
}
