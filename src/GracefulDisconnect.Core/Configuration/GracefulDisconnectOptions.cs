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

    /// <summary>Recoveries, reminders, flapping and storm digests: the <c>Alerts</c> subsection.</summary>
    public AlertOptions Alerts { get; } = new();

    /// <summary>The subject and message templates of each kind of notification: the <c>Templates</c> subsection.</summary>
    public NotificationTemplates Templates { get; } = new();

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
    /// Silent devices (a dead man's switch): a device believed connected that sends nothing at all for this long is
    /// treated as an outage that began at the last time it was heard from, notified once (an offline notification
    /// rendered from <see cref="NotificationTemplates.SilentSubject"/> and <see cref="NotificationTemplates.SilentMessage"/>), and over when it
    /// speaks again (a <see cref="NotificationKind.Recovered"/> notification when <see cref="AlertOptions.NotifyRecovery"/> is on).
    /// Any event of the device counts as a sign of life except a retained one (the broker repeating an old state), and
    /// so does an event that is only that (<see cref="ConnectionEvent.SignOfLife"/>, such as MQTT telemetry).
    /// The silence is its own grace: no grace period is added. <see langword="null"/> (the default) for off; 1 second to 30 days.
    /// </summary>
    public TimeSpan? SilentAfter { get; set; }

    /// <summary>Silence thresholds for particular things, by exact thing name; they apply even when <see cref="SilentAfter"/> is <see langword="null"/>.</summary>
    public IDictionary<string, TimeSpan> SilentAfterOverrides { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>The silence threshold of a thing: its override, else <see cref="SilentAfter"/>.</summary>
    /// <param name="thingName">The thing.</param>
    /// <returns>The threshold, or <see langword="null"/> when the thing is not watched for silence.</returns>
    public TimeSpan? SilentAfterFor(string thingName)
        => SilentAfterOverrides.Count != 0 && SilentAfterOverrides.TryGetValue(thingName, out var silentAfter) ? silentAfter : SilentAfter;

    /// <summary>The grace period of a thing: its override, else <see cref="GracePeriod"/>.</summary>
    /// <param name="thingName">The thing.</param>
    /// <returns>The grace period.</returns>
    public TimeSpan GracePeriodFor(string thingName)
        => GracePeriodOverrides.Count != 0 && GracePeriodOverrides.TryGetValue(thingName, out var grace) ? grace : GracePeriod;
}
