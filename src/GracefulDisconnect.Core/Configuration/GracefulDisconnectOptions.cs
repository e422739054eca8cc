using System.ComponentModel.DataAnnotations;

namespace GracefulDisconnect;

/// <summary>Options of the engine; bind them from the <c>GracefulDisconnect</c> configuration section.</summary>
public sealed class GracefulDisconnectOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect";

    /// <summary>How long a device may stay offline before anyone is told. Default 5 minutes; 1 second to 30 days.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Grace periods for particular things, by exact thing name (for example a device on a flaky cellular link).</summary>
    public IDictionary<string, TimeSpan> GracePeriodOverrides { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>IANA time zone for times in messages, for example <c>Asia/Tokyo</c>. Default <c>UTC</c>.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Culture for times and numbers in messages, for example <c>ja-JP</c>. Default: the invariant culture.</summary>
    public string Culture { get; set; } = string.Empty;

    /// <summary>.NET format of times in messages. Default <c>yyyy-MM-dd HH:mm:ss zzz</c>.</summary>
    [Required]
    public string TimestampFormat { get; set; } = "yyyy-MM-dd HH:mm:ss zzz";

    /// <summary>Subject template (see <see cref="NotificationTemplate"/>).</summary>
    [Required]
    public string SubjectTemplate { get; set; } = "{thing} is offline";

    /// <summary>Message template (see <see cref="NotificationTemplate"/>).</summary>
    [Required]
    public string MessageTemplate { get; set; } = "{thing} has been offline since {offlineSince} (for {offlineFor}; grace period {grace}).";

    /// <summary>How many state reads the engine runs at once when many re-checks are due together (reads are I/O). Default 16.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRechecks { get; set; } = 16;

    /// <summary>How long to wait before retrying a re-check whose read failed; also the longest backoff of a failing channel. Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a process's claim on a due device or an outbox message holds before another process sharing the store
    /// may take it over: after a process dies (kill -9, a lost machine) the others carry its work once this has
    /// passed. It must outlast the longest send of one message, retries included, or a slow channel may hear a
    /// message twice. The default value is 1 minute; 1 second to 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The first backoff of a channel after a failed delivery; it doubles per attempt (with jitter, at most <see cref="RetryDelay"/>). Default 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan NotifyRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Send a <see cref="NotificationKind.Recovered"/> notification when a device notified as offline connects again
    /// (a connect newer than the outage's start). Default off.
    /// </summary>
    public bool NotifyRecovery { get; set; }

    /// <summary>The shortest <see cref="ReminderInterval"/>, in replay and live alike.</summary>
    public static readonly TimeSpan MinReminderInterval = TimeSpan.FromMinutes(1);

    /// <summary>The longest <see cref="ReminderInterval"/>.</summary>
    public static readonly TimeSpan MaxReminderInterval = TimeSpan.FromDays(30);

    /// <summary>The largest <see cref="MaxReminders"/>.</summary>
    public const int MaxRemindersLimit = 1000;

    /// <summary>
    /// Send a <see cref="NotificationKind.Reminder"/> every interval after the offline notification while a re-check
    /// still says the device is offline in the same outage; <see langword="null"/> (the default) for none. 1 minute to 30 days.
    /// </summary>
    public TimeSpan? ReminderInterval { get; set; }

    /// <summary>
    /// At most this many reminders per outage, 1 to 1,000; <see langword="null"/> (the default) for no limit: reminders go
    /// on for as long as the device stays offline in the same outage. Needs <see cref="ReminderInterval"/>.
    /// </summary>
    public int? MaxReminders { get; set; }

    /// <summary>
    /// Send one <see cref="NotificationKind.Flapping"/> notification per flapping episode of a device (see
    /// <see cref="FlapState"/>); <see langword="null"/> (the default) for none. Binds from text such as <c>"6/1h"</c>.
    /// </summary>
    public FlapThreshold? Flapping { get; set; }

    /// <summary>
    /// Flap thresholds for particular things, by exact thing name; they apply even when <see cref="Flapping"/> is
    /// <see langword="null"/> (then only these things are watched). Values bind from text such as <c>"20/1h"</c>.
    /// </summary>
    public IDictionary<string, FlapThreshold> FlappingOverrides { get; } = new Dictionary<string, FlapThreshold>(StringComparer.Ordinal);

    /// <summary>
    /// Storm digests: offline notifications are held per <see cref="DigestGroup"/> for the window after the group's
    /// first one, then sent as one <see cref="NotificationKind.Digest"/> when at least the minimum of distinct devices
    /// are among them, else each on its own. <see langword="null"/> (the default) for none. Binds from text such as
    /// <c>"30s/10"</c>. Every offline notification then waits up to the window.
    /// </summary>
    public DigestThreshold? Digest { get; set; }

    /// <summary>
    /// The digest group of a device (see <see cref="DigestGroups"/>). Default <see cref="DigestGroups.All"/>: one group.
    /// Set in code; configuration does not bind it.
    /// </summary>
    public Func<string, string> DigestGroup { get; set; } = DigestGroups.All;

    /// <summary>How many device names a digest message lists in <c>{things}</c> before "and K more". Default 20; 1 to 1,000.</summary>
    public int DigestListedThings { get; set; } = 20;

    /// <summary>Subject template of <see cref="NotificationKind.Recovered"/> (see <see cref="NotificationTemplate"/>).</summary>
    public string RecoveredSubjectTemplate { get; set; } = "{thing} is back online";

    /// <summary>Message template of <see cref="NotificationKind.Recovered"/>.</summary>
    public string RecoveredMessageTemplate { get; set; } = "{thing} is back online since {recoveredAt}, after {offlineFor} offline (since {offlineSince}).";

    /// <summary>Subject template of <see cref="NotificationKind.Reminder"/>.</summary>
    public string ReminderSubjectTemplate { get; set; } = "{thing} is still offline";

    /// <summary>Message template of <see cref="NotificationKind.Reminder"/>.</summary>
    public string ReminderMessageTemplate { get; set; } = "Reminder {reminder}: {thing} has been offline since {offlineSince} (for {offlineFor}).";

    /// <summary>Subject template of <see cref="NotificationKind.Flapping"/>.</summary>
    public string FlappingSubjectTemplate { get; set; } = "{thing} is flapping";

    /// <summary>Message template of <see cref="NotificationKind.Flapping"/>.</summary>
    public string FlappingMessageTemplate { get; set; } = "{thing} disconnected {disconnects} times within {window} (latest at {disconnectedAt}).";

    /// <summary>Subject template of <see cref="NotificationKind.Digest"/>.</summary>
    public string DigestSubjectTemplate { get; set; } = "{count} devices are offline";

    /// <summary>Message template of <see cref="NotificationKind.Digest"/>; add <c>{group}</c> when grouping by site or gateway (<see cref="DigestGroup"/>).</summary>
    public string DigestMessageTemplate { get; set; } = "{count} devices went offline between {offlineSince} and {lastOfflineSince}: {things}.";

    /// <summary>What <c>{things}</c> ends with when a digest holds more devices than <see cref="DigestListedThings"/>; <c>{more}</c> is how many are not listed.</summary>
    public string DigestMoreThingsTemplate { get; set; } = " and {more} more";

    /// <summary>What separates device names in <c>{things}</c>. Default <c>", "</c>.</summary>
    public string DigestThingSeparator { get; set; } = ", ";

    /// <summary>
    /// Silent devices (a dead man's switch): a device believed connected that sends nothing at all for this long is
    /// treated as an outage that began at the last time it was heard from, notified once (an offline notification
    /// rendered from <see cref="SilentSubjectTemplate"/> and <see cref="SilentMessageTemplate"/>), and over when it
    /// speaks again (a <see cref="NotificationKind.Recovered"/> notification when <see cref="NotifyRecovery"/> is on).
    /// Any event of the device counts as a sign of life except a retained one (the broker repeating an old state), and
    /// so does an event that is only that (<see cref="ConnectionEvent.SignOfLife"/>, such as MQTT telemetry).
    /// The silence is its own grace: no grace period is added. <see langword="null"/> (the default) for off; 1 second to 30 days.
    /// </summary>
    public TimeSpan? SilentAfter { get; set; }

    /// <summary>Silence thresholds for particular things, by exact thing name; they apply even when <see cref="SilentAfter"/> is <see langword="null"/>.</summary>
    public IDictionary<string, TimeSpan> SilentAfterOverrides { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>Subject template of the notification that a device went silent (the placeholders of the offline one; <c>{grace}</c> is the silence threshold).</summary>
    public string SilentSubjectTemplate { get; set; } = "{thing} is silent";

    /// <summary>Message template of the notification that a device went silent.</summary>
    public string SilentMessageTemplate { get; set; } = "{thing} has been silent since {offlineSince} (for {offlineFor}; nothing heard for longer than {grace}).";

    /// <summary>The silence threshold of a thing: its override, else <see cref="SilentAfter"/>.</summary>
    /// <param name="thingName">The thing.</param>
    /// <returns>The threshold, or <see langword="null"/> when the thing is not watched for silence.</returns>
    public TimeSpan? SilentAfterFor(string thingName)
        => SilentAfterOverrides.Count != 0 && SilentAfterOverrides.TryGetValue(thingName, out var silentAfter) ? silentAfter : SilentAfter;

    /// <summary>The flap threshold of a thing: its override, else <see cref="Flapping"/>.</summary>
    /// <param name="thingName">The thing.</param>
    /// <returns>The threshold, or <see langword="null"/> when the thing is not watched for flapping.</returns>
    public FlapThreshold? FlappingFor(string thingName)
        => FlappingOverrides.Count != 0 && FlappingOverrides.TryGetValue(thingName, out var threshold) ? threshold : Flapping;

    /// <summary>The grace period of a thing: its override, else <see cref="GracePeriod"/>.</summary>
    /// <param name="thingName">The thing.</param>
    /// <returns>The grace period.</returns>
    public TimeSpan GracePeriodFor(string thingName)
        => GracePeriodOverrides.Count != 0 && GracePeriodOverrides.TryGetValue(thingName, out var grace) ? grace : GracePeriod;
}
