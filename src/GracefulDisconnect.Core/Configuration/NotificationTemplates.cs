namespace GracefulDisconnect;

/// <summary>
/// The subject and message templates of each kind of notification (see <see cref="NotificationTemplate"/>). The
/// <c>Templates</c> subsection of the <c>GracefulDisconnect</c> configuration section (<see cref="GracefulDisconnectOptions.Templates"/>).
/// </summary>
public sealed class NotificationTemplates
{
    /// <summary>Subject template (see <see cref="NotificationTemplate"/>); required.</summary>
    public string Subject { get; set; } = "{thing} is offline";

    /// <summary>Message template (see <see cref="NotificationTemplate"/>); required.</summary>
    public string Message { get; set; } = "{thing} has been offline since {offlineSince} (for {offlineFor}; grace period {grace}).";

    /// <summary>Subject template of <see cref="NotificationKind.Recovered"/> (see <see cref="NotificationTemplate"/>).</summary>
    public string RecoveredSubject { get; set; } = "{thing} is back online";

    /// <summary>Message template of <see cref="NotificationKind.Recovered"/>.</summary>
    public string RecoveredMessage { get; set; } = "{thing} is back online since {recoveredAt}, after {offlineFor} offline (since {offlineSince}).";

    /// <summary>Subject template of <see cref="NotificationKind.Reminder"/>.</summary>
    public string ReminderSubject { get; set; } = "{thing} is still offline";

    /// <summary>Message template of <see cref="NotificationKind.Reminder"/>.</summary>
    public string ReminderMessage { get; set; } = "Reminder {reminder}: {thing} has been offline since {offlineSince} (for {offlineFor}).";

    /// <summary>Subject template of <see cref="NotificationKind.Flapping"/>.</summary>
    public string FlappingSubject { get; set; } = "{thing} is flapping";

    /// <summary>Message template of <see cref="NotificationKind.Flapping"/>.</summary>
    public string FlappingMessage { get; set; } = "{thing} disconnected {disconnects} times within {window} (latest at {disconnectedAt}).";

    /// <summary>Subject template of <see cref="NotificationKind.Digest"/>.</summary>
    public string DigestSubject { get; set; } = "{count} devices are offline";

    /// <summary>Message template of <see cref="NotificationKind.Digest"/>; add <c>{group}</c> when grouping by site or gateway (<see cref="AlertOptions.DigestGroup"/>).</summary>
    public string DigestMessage { get; set; } = "{count} devices went offline between {offlineSince} and {lastOfflineSince}: {things}.";

    /// <summary>What <c>{things}</c> ends with when a digest holds more devices than <see cref="AlertOptions.DigestListedThings"/>; <c>{more}</c> is how many are not listed.</summary>
    public string DigestMoreThings { get; set; } = " and {more} more";

    /// <summary>What separates device names in <c>{things}</c>. Default <c>", "</c>.</summary>
    public string DigestThingSeparator { get; set; } = ", ";

    /// <summary>Subject template of the notification that a device went silent (the placeholders of the offline one; <c>{grace}</c> is the silence threshold).</summary>
    public string SilentSubject { get; set; } = "{thing} is silent";

    /// <summary>Message template of the notification that a device went silent.</summary>
    public string SilentMessage { get; set; } = "{thing} has been silent since {offlineSince} (for {offlineFor}; nothing heard for longer than {grace}).";
}
