using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using static GracefulDisconnect.DynamoDb.AttributeValues;
using static GracefulDisconnect.DynamoDb.DynamoDbTableLayout;

namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// Turns the outbox entries committed inside a device's item into message items, one per (channel, notification),
/// that senders claim by channel. Without transactions across items this is the step that makes the outbox atomic
/// with the record: the entries are durable from the device's commit on, and queueing them is idempotent, so it is
/// done right after the commit by the committer and, should that process stop first, by a later sweep
/// (<see cref="SweepAsync"/>). Each entry first claims its (channel, notification) with a guard item
/// (<c>attribute_not_exists</c>); a guard holding another sequence means the notification was queued by an earlier
/// commit, maybe already delivered, and the entry is dropped. The message item is then put under its reserved
/// sequence, also only if absent. Last, the entries are removed from the device, only if its version did not move on
/// (a newer commit's own committer queues the list it appended to).
/// </summary>
internal sealed class OutboxQueue(IAmazonDynamoDB client, string table, TimeProvider time, ILogger logger)
{
    /// <summary>How old unqueued entries must be before a sweep takes them: younger ones are their committer's, still queueing.</summary>
    public static readonly TimeSpan SweepAge = TimeSpan.FromSeconds(10);

    private const int SweepBatch = 25;

    private readonly ConcurrentDictionary<string, byte> _registered = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds channels to the registry item that counts read (<see cref="ChannelsKey"/>); before a commit writes
    /// messages of theirs, so every channel with a message is registered. The registry only grows: each process
    /// adds a channel once.
    /// </summary>
    public async Task RegisterChannelsAsync(IEnumerable<string> channels, CancellationToken cancellationToken)
    {
        var fresh = channels.Where(channel => !_registered.ContainsKey(channel)).Distinct(StringComparer.Ordinal).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        await client.UpdateItemAsync(
            new UpdateItemRequest
            {
                TableName = table,
                Key = Key(ChannelsKey),
                UpdateExpression = "ADD #channels :channels",
                ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#channels"] = Channels },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":channels"] = new AttributeValue { SS = fresh } },
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var channel in fresh)
        {
            _registered.TryAdd(channel, 0);
        }
    }

    public async Task QueueAsync(string thing, long version, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            await QueueOneAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = table,
                    Key = Key(DeviceKey(thing)),
                    UpdateExpression = "REMOVE #outbox, #outboxPending, #outboxAt",
                    ConditionExpression = "#version = :version",
                    ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#outbox"] = Outbox, ["#outboxPending"] = OutboxPending, ["#outboxAt"] = OutboxAt, ["#version"] = RecordVersion },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":version"] = N(version) },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // A newer commit appended to the list; its committer (or a sweep) queues all of it.
        }
    }

    /// <summary>Queues the entries of devices whose committer stopped between its commit and queueing them.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var response = await client.QueryAsync(
            new QueryRequest
            {
                TableName = table,
                IndexName = OutboxIndex,
                KeyConditionExpression = "#pending = :pending AND #at < :before",
                ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#pending"] = OutboxPending, ["#at"] = OutboxAt },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
                {
                    [":pending"] = S(Pending),
                    [":before"] = S(SortKey.DueBound(time.GetUtcNow() - SweepAge)),
                },
                Limit = SweepBatch,
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var found in response.Items ?? [])
        {
            var device = await client.GetItemAsync(
                new GetItemRequest
                {
                    TableName = table,
                    Key = Key(found[DynamoDbTableLayout.PartitionKey].S),
                    ConsistentRead = true,
                    ProjectionExpression = "#thing, #version, #outbox",
                    ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#thing"] = Thing, ["#version"] = RecordVersion, ["#outbox"] = Outbox },
                },
                cancellationToken).ConfigureAwait(false);
            if (device.Item is not { Count: > 0 } item)
            {
                continue;
            }

            var entries = OutboxEntry.Read(item);
            var thing = String(item, Thing);
            await RegisterChannelsAsync(entries.Select(static entry => entry.Channel), cancellationToken).ConfigureAwait(false);
            await QueueAsync(thing, Long(item, RecordVersion), entries, cancellationToken).ConfigureAwait(false);
            DynamoDbLog.OutboxRecovered(logger, table, entries.Count, thing);
        }
    }

    private async Task QueueOneAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { ["#pk"] = DynamoDbTableLayout.PartitionKey };
        var guardKey = GuardKey(entry.Channel, entry.NotificationId);
        try
        {
            await client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = table,
                    Item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [DynamoDbTableLayout.PartitionKey] = S(guardKey), [Sequence] = N(entry.Sequence) },
                    ConditionExpression = "attribute_not_exists(#pk)",
                    ExpressionAttributeNames = names,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            var guard = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(guardKey), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
            if (guard.Item is { Count: > 0 } held && Long(held, Sequence) != entry.Sequence)
            {
                return;
            }
        }

        try
        {
            await client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = table,
                    Item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
                    {
                        [DynamoDbTableLayout.PartitionKey] = S(MessageKey(entry.Sequence)),
                        [Sequence] = N(entry.Sequence),
                        [Channel] = S(entry.Channel),
                        [NotificationId] = S(entry.NotificationId),
                        [Payload] = S(entry.Payload),
                        [Attempts] = N(0),
                        [DeliveryQueue] = S(entry.Channel),
                        [DeliveryKey] = S(SortKey.Of(DateTimeOffset.MinValue, entry.Sequence)),
                    },
                    ConditionExpression = "attribute_not_exists(#pk)",
                    ExpressionAttributeNames = names,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Queued before (and maybe delivered since): nothing to do.
        }
    }
}
