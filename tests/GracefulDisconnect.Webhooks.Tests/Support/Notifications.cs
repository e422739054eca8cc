namespace GracefulDisconnect.Webhooks.Tests.Support;

/// <summary>Notifications of every kind, at fixed instants.</summary>
public static class Notifications
{
    /// <summary>2026-01-01T00:10:00Z.</summary>
    public static readonly DateTimeOffset OfflineSince = DateTimeOffset.FromUnixTimeSeconds(1_767_226_200);

    public static readonly DateTimeOffset DecidedAt = OfflineSince.AddMinutes(5).AddMilliseconds(123);

    public static DeviceNotification Offline(string thing = "greenhouse-pi-3")
        => new(
            thing,
            OfflineSince,
            DecidedAt,
            TimeSpan.FromMinutes(5),
            $"{thing}@{OfflineSince.ToUnixTimeSeconds()}",
            $"{thing} is offline",
            $"{thing} has been offline since 2026-01-01 00:10:00 +00:00.");

    public static DeviceNotification Recovered(string thing = "greenhouse-pi-3")
        => Offline(thing) with
        {
            Kind = NotificationKind.Recovered,
            Subject = $"{thing} is back online",
            Message = $"{thing} reconnected after 2h 5m.",
            OfflineFor = TimeSpan.FromMinutes(125),
        };

    public static DeviceNotification Reminder(string thing = "greenhouse-pi-3")
        => Offline(thing) with
        {
            Kind = NotificationKind.Reminder,
            Subject = $"{thing} is still offline",
            Message = $"{thing} has been offline for 1d 3h.",
            OfflineFor = TimeSpan.FromHours(27),
            Reminder = 2,
        };

    public static DeviceNotification Flapping(string thing = "greenhouse-pi-3")
        => Offline(thing) with
        {
            Kind = NotificationKind.Flapping,
            Subject = $"{thing} is flapping",
            Message = $"{thing} disconnected 7 times in 10 minutes.",
            Disconnects = 7,
        };

    public static DeviceNotification Digest(int count, string group = "*")
        => new DeviceNotification(
            group,
            OfflineSince,
            DecidedAt,
            TimeSpan.FromMinutes(5),
            $"{group}@{OfflineSince.ToUnixTimeSeconds()}",
            $"{count} devices are offline",
            $"{count} devices went offline together.")
        {
            Kind = NotificationKind.Digest,
            Things = [.. Enumerable.Range(1, count).Select(i => $"sensor-{i:000}")],
        };
}
