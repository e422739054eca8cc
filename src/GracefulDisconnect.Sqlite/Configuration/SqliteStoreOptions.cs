using System.ComponentModel.DataAnnotations;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// Options of the SQLite store; bind them from the <c>GracefulDisconnect:Sqlite</c> configuration section.
/// One process should own a database file: the scheduler and the outbox assume nobody else runs its rows.
/// </summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:Sqlite";

    /// <summary>
    /// The database file, for example <c>/var/lib/gracefuldisconnect/store.db</c>. Required. Its folder is
    /// created when missing; the file and its schema are created on first use.
    /// </summary>
    [Required(ErrorMessage = "The SQLite database file is required; set Path, for example to /var/lib/gracefuldisconnect/store.db.")]
    public string Path { get; set; } = string.Empty;

    /// <summary>How long an operation waits for another writer to finish before it fails. Default 5 seconds; 0 to 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most re-checks written in one transaction when many are scheduled at once. Default 4096; 1 to 100,000.</summary>
    [Range(1, 100_000)]
    public int MaxScheduleBatchSize { get; set; } = 4096;

    /// <summary>
    /// How often the scheduler looks for due re-checks even when nothing woke it (rows written by another
    /// tool, a clock that jumped). Re-checks scheduled in this process wake it at their due time anyway. Default 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SchedulerPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the store's last known connection state is the engine's <see cref="IShadowReader"/>. Default
    /// <see langword="true"/>; set <see langword="false"/> to keep another reader (for example the AWS Device Shadow).
    /// </summary>
    public bool UseAsShadowReader { get; set; } = true;

    /// <summary>How often the outbox looks for notifications claimed but never confirmed. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a notification claimed in this process may stay unconfirmed before the outbox sends it
    /// itself. Longer than the slowest notifier call. Default 5 minutes; 1 second to 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan OutboxLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wait before the first retry of a notification that could not be sent; doubles per attempt. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan OutboxInitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two retries of a notification. Default 30 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")]
    public TimeSpan OutboxMaxBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long sent notifications are kept for inspection. The latest outage of each thing is always
    /// kept, since it decides whether a later re-check is a duplicate. Default 7 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);
}
