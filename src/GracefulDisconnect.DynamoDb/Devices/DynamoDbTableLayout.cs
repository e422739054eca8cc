namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// The names in the store's one table. Every item has the string hash key <c>pk</c>; its prefix says what it is:
/// <list type="bullet">
/// <item><c>d#&lt;thing&gt;</c>: a device (record, version, wake, status, and outbox entries not yet queued);</item>
/// <item><c>m#&lt;sequence&gt;</c>: an outbox message for one channel, queued until delivered;</item>
/// <item><c>n#&lt;channel length&gt;:&lt;channel&gt;#&lt;notification id&gt;</c>: the (channel, notification) a message was queued for, so each is queued once;</item>
/// <item><c>#sequence</c>: the counter that numbers messages; <c>#channels</c>: the channels ever used (for counts).</item>
/// </list>
/// Each secondary index is sparse: an item is in it only while it carries the index's hash key attribute.
/// </summary>
internal static class DynamoDbTableLayout
{
    public const string PartitionKey = "pk";

    public const string DevicePrefix = "d#";
    public const string MessagePrefix = "m#";
    public const string GuardPrefix = "n#";
    public const string SequenceKey = "#sequence";
    public const string ChannelsKey = "#channels";

    // Device attributes.
    public const string Thing = "thing";
    public const string RecordVersion = "version";
    public const string State = "state";
    public const string WakeAt = "wakeAt";
    public const string WakeQueue = "wakeQueue";
    public const string WakeKey = "wakeKey";
    public const string Status = "status";
    public const string StatusKey = "statusKey";
    public const string Since = "since";
    public const string Outbox = "outbox";
    public const string OutboxPending = "outboxPending";
    public const string OutboxAt = "outboxAt";

    // Outbox entry (inside a device's list) and message attributes.
    public const string Sequence = "sequence";
    public const string Channel = "channel";
    public const string NotificationId = "notificationId";
    public const string Payload = "payload";
    public const string Attempts = "attempts";
    public const string DeliveryQueue = "deliveryQueue";
    public const string DeliveryKey = "deliveryKey";
    public const string DeliveredAt = "deliveredAt";

    /// <summary>Epoch seconds after which DynamoDB may delete a delivered message: clean-up only, never a timer.</summary>
    public const string ExpiresAt = "expiresAt";

    // Counter and registry attributes.
    public const string Next = "next";
    public const string Channels = "channels";

    /// <summary>Devices with a wake: hash <see cref="WakeQueue"/> (always <see cref="Due"/>), range <see cref="WakeKey"/>.</summary>
    public const string WakeIndex = "wake";

    /// <summary>Devices with a status: hash <see cref="Status"/> (<see cref="Offline"/> or <see cref="Online"/>), range <see cref="StatusKey"/>.</summary>
    public const string StatusIndex = "status";

    /// <summary>Undelivered messages: hash <see cref="DeliveryQueue"/> (the channel), range <see cref="DeliveryKey"/>.</summary>
    public const string DeliveryIndex = "delivery";

    /// <summary>Devices holding outbox entries not yet queued as messages: hash <see cref="OutboxPending"/>, range <see cref="OutboxAt"/> (when committed).</summary>
    public const string OutboxIndex = "outbox";

    public const string Due = "due";
    public const string Offline = "offline";
    public const string Online = "online";
    public const string Pending = "pending";

    public static string DeviceKey(string thing) => DevicePrefix + thing;

    public static string MessageKey(long sequence) => MessagePrefix + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // The channel's length first, so no (channel, id) pair can spell another's key whatever characters they hold.
    public static string GuardKey(string channel, string notificationId)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{GuardPrefix}{channel.Length}:{channel}#{notificationId}");
}
