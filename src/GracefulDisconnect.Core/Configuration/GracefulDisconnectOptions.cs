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

    /// <summary>How many re-checks the in-memory scheduler runs at once (shadow reads are I/O). Default 16.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRechecks { get; set; } = 16;

    /// <summary>How long to wait before retrying a re-check whose read or notification failed. Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many times each notifier is tried, with exponential backoff and jitter, before the re-check is retried later. Default 3.</summary>
    [Range(1, 20)]
    public int NotifyAttempts { get; set; } = 3;

    /// <summary>The first backoff between notification attempts; it doubles per attempt (with jitter, at most 30 s). Default 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan NotifyRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The grace period of a thing: its override, else <see cref="GracePeriod"/>.</summary>
    /// <param name="thingName">The thing.</param>
    /// <returns>The grace period.</returns>
    public TimeSpan GracePeriodFor(string thingName)
        => GracePeriodOverrides.Count != 0 && GracePeriodOverrides.TryGetValue(thingName, out var grace) ? grace : GracePeriod;
}
