using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static GracefulDisconnect.DynamoDb.AttributeValues;
using static GracefulDisconnect.DynamoDb.DynamoDbTableLayout;

namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// One device's part of a commit as a single conditional <c>UpdateItem</c>: DynamoDB applies it to the one item
/// atomically, so the record, its version, wake, status and outbox entries are written together or not at all. The
/// condition is the optimistic check (<c>attribute_not_exists</c> for a new device, <c>version = :expected</c>
/// otherwise). The outbox entries are appended to the device's <see cref="DynamoDbTableLayout.Outbox"/> list, with
/// sequences reserved before the write, and queued as messages right after it (<see cref="OutboxQueue"/>); an
/// append, not a replacement, keeps entries an earlier commit had not queued yet.
/// </summary>
internal static class DeviceWrite
{
    public static UpdateItemRequest For(string table, DeviceChange change, IReadOnlyList<long> sequences, DateTimeOffset now)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["#thing"] = Thing,
            ["#version"] = RecordVersion,
            ["#state"] = State,
            ["#wakeAt"] = WakeAt,
            ["#wakeQueue"] = WakeQueue,
            ["#wakeKey"] = WakeKey,
            ["#status"] = Status,
            ["#statusKey"] = StatusKey,
            ["#since"] = Since,
        };
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [":thing"] = S(change.ThingName),
            [":version"] = N(change.ExpectedVersion + 1),
            [":state"] = S(change.State),
        };
        var set = new List<string> { "#thing = :thing", "#version = :version", "#state = :state" };
        var remove = new List<string>();

        // A new wake key also ends any claim: the claim lives in the key (see ClaimDueAsync).
        if (change.WakeAt is { } wakeAt)
        {
            values[":wakeAt"] = N(wakeAt.UtcTicks);
            values[":wakeQueue"] = S(Due);
            values[":wakeKey"] = S(SortKey.Of(wakeAt, change.ThingName));
            set.Add("#wakeAt = :wakeAt, #wakeQueue = :wakeQueue, #wakeKey = :wakeKey");
        }
        else
        {
            remove.Add("#wakeAt, #wakeQueue, #wakeKey");
        }

        if (change.Status is { } status)
        {
            values[":status"] = S(status.Offline ? Offline : Online);
            values[":statusKey"] = S(SortKey.Of(status.Since, change.ThingName));
            values[":since"] = N(status.Since.UtcTicks);
            set.Add("#status = :status, #statusKey = :statusKey, #since = :since");
        }
        else
        {
            remove.Add("#status, #statusKey, #since");
        }

        if (change.Outbox.Count > 0)
        {
            names["#outbox"] = Outbox;
            names["#outboxPending"] = OutboxPending;
            names["#outboxAt"] = OutboxAt;
            values[":entries"] = new AttributeValue { L = [.. change.Outbox.Select((message, i) => OutboxEntry.Write(sequences[i], message))] };
            values[":none"] = new AttributeValue { L = [] };
            values[":pending"] = S(Pending);
            values[":outboxAt"] = S(SortKey.Of(now, change.ThingName));
            set.Add("#outbox = list_append(if_not_exists(#outbox, :none), :entries), #outboxPending = :pending, #outboxAt = :outboxAt");
        }

        string condition;
        if (change.ExpectedVersion == 0)
        {
            names["#pk"] = PartitionKey;
            condition = "attribute_not_exists(#pk)";
        }
        else
        {
            values[":expected"] = N(change.ExpectedVersion);
            condition = "#version = :expected";
        }

        return new UpdateItemRequest
        {
            TableName = table,
            Key = Key(DeviceKey(change.ThingName)),
            UpdateExpression = "SET " + string.Join(", ", set) + (remove.Count == 0 ? string.Empty : " REMOVE " + string.Join(", ", remove)),
            ConditionExpression = condition,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,

            // The whole list after the append: it is what the queueing step must queue (earlier leftovers too).
            ReturnValues = change.Outbox.Count > 0 ? ReturnValue.UPDATED_NEW : ReturnValue.NONE,
        };
    }
}
