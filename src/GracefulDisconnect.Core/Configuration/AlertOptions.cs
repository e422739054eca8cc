namespace GracefulDisconnect;

/// <summary>
/// What the engine says beyond "offline": recoveries, reminders, flapping and storm digests. The <c>Alerts</c>
/// subsection of the <c>GracefulDisconnect</c> configuration section (<see cref="GracefulDisconnectOptions.Alerts"/>).
/// </summary>
public sealed class AlertOptions
{
    /// <summary>The shortest <see cref="ReminderInterval"/>, in replay and live alike.</summary>
    public static readonly TimeSpan MinReminderInterval = TimeSpan.FromMinutes(1);

    /// <summary>The longest <see cref="ReminderInterval"/>.</summary>
    public static readonly TimeSpan MaxReminderInterval = TimeSpan.FromDays(30);

    /// <summary>The largest <see cref="MaxReminders"/>.</summary>
    public const int MaxRemindersLimit = 1000;

    /// <summary>
    /// Send a <see cref="NotificationKind.Recovered"/> notification when a device notified as offline connects again
    /// (a connect newer than the outage's start). Default off.
    /// </summary>
    public bool NotifyRecovery { get; set; }

    /// <summary>
    /// Recovery hysteresis: a device notified as offline counts as back only once it has stayed connected this long
    /// (by the source's clock). A drop within it continues the same outage: no new offline notification, and no recovery
    /// in between; the recovery, when it comes, says when the device came back for good. <see langword="null"/> (the
    /// default): back at the first connect. 1 second to 30 days.
    /// </summary>
    public TimeSpan? StableFor { get; set; }

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

    /// <summary>The flap threshold of a thing: its override, else <see cref="Flapping"/>.</summary>
    /// <param name="thingName">The thing.</param>
    /// <returns>The threshold, or <see langword="null"/> when the thing is not watched for flapping.</returns>
    public FlapThreshold? FlappingFor(string thingName)
        => FlappingOverrides.Count != 0 && FlappingOverrides.TryGetValue(thingName, out var threshold) ? threshold : Flapping;
}
