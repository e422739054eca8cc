namespace GracefulDisconnect.Email.Tests.Support;

/// <summary>Notifications of every kind, as the engine renders them.</summary>
public static class Notifications
{
    public static readonly DateTimeOffset Since = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    public static DeviceNotification Offline(string thing = "pump-7", string? subject = null, string? message = null)
        => new(
            thing,
            Since,
            Since + Grace,
            Grace,
            $"{thing}@{Since.ToUnixTimeSeconds()}",
            subject ?? $"{thing} is offline",
            message ?? $"{thing} has been offline since 2026-01-01 00:00:00 +00:00 (for 5m; grace period 5m).");

    public static DeviceNotification Of(NotificationKind kind) => kind switch
    {
        NotificationKind.Offline => Offline(),
        NotificationKind.Recovered => Offline(subject: "pump-7 is back online", message: "pump-7 reconnected after 2h 5m.") with
        {
            Kind = NotificationKind.Recovered,
            OfflineFor = TimeSpan.FromMinutes(125),
            DecidedAt = Since.AddMinutes(125),
        },
        NotificationKind.Reminder => Offline(subject: "pump-7 is still offline", message: "pump-7 has been offline for 1h.") with
        {
            Kind = NotificationKind.Reminder,
            Reminder = 2,
            OfflineFor = TimeSpan.FromHours(1),
            DecidedAt = Since.AddHours(1),
        },
        NotificationKind.Flapping => Offline(subject: "pump-7 is flapping", message: "pump-7 disconnected 6 times in 10 minutes.") with
        {
            Kind = NotificationKind.Flapping,
            Disconnects = 6,
        },
        NotificationKind.Digest => new DeviceNotification(
            "*",
            Since,
            Since + Grace,
            Grace,
            $"*@{Since.ToUnixTimeSeconds()}",
            "3 devices are offline",
            "3 devices went offline together.")
        {
            Kind = NotificationKind.Digest,
            Things = ["pump-7", "valve-12", "センサー-3"],
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
