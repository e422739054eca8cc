using System.ComponentModel.DataAnnotations;
using Amazon.Runtime;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>The worker's own options, bound from the <c>Worker</c> section and validated on start.</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Worker";

    /// <summary>The queue the IoT rule sends disconnects to (a standard queue; its delay may be 0).</summary>
    /// <summary>The store used when <see cref="Store"/> is not set: a SQLite file in the working directory.</summary>
    public const string DefaultStore = "gracefuldisconnect-worker.db";

    /// <summary>
    /// Where the engine keeps each device's record, due re-checks and undelivered notifications, so a restart loses
    /// none of them: a SQLite file (one worker per file; the file is locked while it runs), or a PostgreSQL URI
    /// (<c>postgresql://user:password@host/database</c>) that several workers on one queue share. The folder of a
    /// SQLite file must exist. Read when services are registered, so it takes effect at start.
    /// </summary>
    public string Store { get; set; } = DefaultStore;

    [Required]
    public string QueueUrl { get; set; } = string.Empty;

    /// <summary>The queue's region. Default: the one in <see cref="QueueUrl"/>, else <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>.</summary>
    public string? Region { get; set; }

    /// <summary>The SQS endpoint. Default: <c>AWS_ENDPOINT_URL_SQS</c>, else <c>AWS_ENDPOINT_URL</c>, else the regional one.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Credentials for SQS; not bound from configuration. Default: the SDK's default chain.</summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Messages asked for per <c>ReceiveMessage</c> (1-10). Default 10.</summary>
    [Range(1, 10)]
    public int MaxMessagesPerPoll { get; set; } = 10;

    /// <summary>How long one <c>ReceiveMessage</c> waits for messages (long polling, 0-20 s). Default 20 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:20")]
    public TimeSpan ReceiveWaitTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A pause after a poll that returned nothing; only useful without long polling. Default none.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan IdleDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The pause after a failed poll; it doubles per failure in a row, up to <see cref="MaxPollRetryDelay"/>. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause after failed polls. Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxPollRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Unhealthy when no poll has succeeded for this long. Default 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan UnhealthyAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often health is checked, logged on change, and written to <see cref="HealthFile"/>. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A file the health report is written to as JSON (for a monitoring agent or a container health check); empty for none.</summary>
    public string? HealthFile { get; set; }

    /// <summary>
    /// How long a stop may take (<c>HostOptions.ShutdownTimeout</c>): in-flight re-checks finish and pending
    /// ones go back to the queue. Keep systemd's <c>TimeoutStopSec</c> above it. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
