namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// Options of the DynamoDB store; bind them from the <c>GracefulDisconnect:DynamoDb</c> configuration section. Several
/// processes (workers, Lambda functions, a mix) may share one table: they share the fleet, and each outage is
/// notified once. Credentials, and the region unless <see cref="Region"/> is set, come from the AWS SDK's default
/// chains (environment, profile, container or instance role).
/// </summary>
public sealed class DynamoDbStoreOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:DynamoDb";

    /// <summary>The retention of delivered outbox items used when none is set: 90 days.</summary>
    public static readonly TimeSpan DefaultDeliveredRetention = TimeSpan.FromDays(90);

    /// <summary>
    /// The table that holds every item of the store (devices, outbox messages, the sequence counter); give each
    /// deployment its own. 3 to 255 letters, digits, <c>_</c>, <c>-</c> or <c>.</c>, as DynamoDB allows. Required.
    /// </summary>
    public string TableName { get; set; } = string.Empty;

    /// <summary>
    /// The AWS region of the table, for example <c>eu-west-1</c>; <see langword="null"/> (the default) takes it from the
    /// SDK's chain (<c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile, the instance metadata).
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// Where to send requests instead of the region's endpoint: DynamoDB Local, LocalStack or dynalite, for example
    /// <c>http://localhost:8000</c>. <see langword="null"/> (the default) uses the SDK's own endpoint resolution, which
    /// also honours <c>AWS_ENDPOINT_URL_DYNAMODB</c> and <c>AWS_ENDPOINT_URL</c>. Requests to it are signed for
    /// <see cref="Region"/>: set that too (any region name does for an emulator), or the SDK looks for one in its chain.
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// Creates the table (on-demand billing, its indexes, time to live on <c>expiresAt</c>) when it does not exist.
    /// The default value is <see langword="false"/>: in production an administrator or infrastructure as code owns
    /// the table, and a typo in <see cref="TableName"/> should fail at start rather than create a second, empty fleet.
    /// </summary>
    public bool CreateTableIfMissing { get; set; }

    /// <summary>
    /// How long a delivered outbox message (and the record that it was sent) is kept before DynamoDB's time to live
    /// deletes it; while kept, the same notification committed again is not sent again. <see langword="null"/> keeps
    /// them for ever. At least one day. The default value is 90 days.
    /// </summary>
    public TimeSpan? DeliveredRetention { get; set; } = DefaultDeliveredRetention;

    /// <summary>
    /// How many times the SDK retries a throttled or failed request (with exponential backoff and jitter) before the
    /// store reports a transient <see cref="DeviceStoreException"/>; applies to the client the store creates, not to
    /// one registered by the application. 0 to 20. The default value is 8.
    /// </summary>
    public int MaxErrorRetry { get; set; } = 8;

    /// <summary>How many device writes of one commit run at once (each device is its own conditional write). 1 to 64. The default value is 16.</summary>
    public int MaxConcurrentWrites { get; set; } = 16;
}
