using Amazon.DynamoDBv2.Model;
using static GracefulDisconnect.DynamoDb.AttributeValues;
using static GracefulDisconnect.DynamoDb.DynamoDbTableLayout;

namespace GracefulDisconnect.DynamoDb;

/// <summary>An outbox message as committed inside its device's item, with the sequence reserved for it, until queued.</summary>
internal readonly record struct OutboxEntry(long Sequence, string Channel, string NotificationId, string Payload)
{
    public static AttributeValue Write(long sequence, OutboxMessage message) => new()
    {
        M = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [DynamoDbTableLayout.Sequence] = N(sequence),
            [DynamoDbTableLayout.Channel] = S(message.Channel),
            [DynamoDbTableLayout.NotificationId] = S(message.NotificationId),
            [DynamoDbTableLayout.Payload] = S(message.Payload),
        },
    };

    public static List<OutboxEntry> Read(Dictionary<string, AttributeValue>? item)
    {
        if (item is null || !item.TryGetValue(Outbox, out var list) || list.L is null)
        {
            return [];
        }

        return [.. list.L.Select(static entry => new OutboxEntry(
            Long(entry.M, DynamoDbTableLayout.Sequence),
            String(entry.M, DynamoDbTableLayout.Channel),
            String(entry.M, DynamoDbTableLayout.NotificationId),
            String(entry.M, DynamoDbTableLayout.Payload)))];
    }
}
