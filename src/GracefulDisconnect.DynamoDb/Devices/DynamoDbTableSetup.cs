using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using static GracefulDisconnect.DynamoDb.DynamoDbTableLayout;

namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// Checks on first use that the table exists with the key and the indexes the store queries (a table made by hand
/// without one would fail later, one query at a time), and creates it when asked to: on-demand billing, so a fleet's
/// bursts are never throttled by a capacity someone forgot to raise, and time to live on <see cref="ExpiresAt"/>.
/// </summary>
internal static class DynamoDbTableSetup
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ActiveTimeout = TimeSpan.FromMinutes(5);

    private static readonly (string Name, string Hash, string? Range)[] Indexes =
    [
        (WakeIndex, WakeQueue, WakeKey),
        (StatusIndex, Status, StatusKey),
        (DeliveryIndex, DeliveryQueue, DeliveryKey),
        (OutboxIndex, OutboxPending, OutboxAt),
    ];

    public static async Task EnsureAsync(IAmazonDynamoDB client, string table, bool createIfMissing, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var description = await DescribeAsync(client, table, cancellationToken).ConfigureAwait(false);
        if (description is null)
        {
            if (!createIfMissing)
            {
                throw new DeviceStoreException($"DynamoDB store table '{table}': the table does not exist in this account and region; create it as the GracefulDisconnect.DynamoDb README shows, set CreateTableIfMissing = true, or fix TableName and the region");
            }

            description = await CreateAsync(client, table, time, logger, cancellationToken).ConfigureAwait(false);
        }

        while (description.TableStatus == TableStatus.CREATING)
        {
            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            description = await DescribeAsync(client, table, cancellationToken).ConfigureAwait(false)
                ?? throw new DeviceStoreException($"DynamoDB store table '{table}': the table was deleted while it was being created");
        }

        Verify(description, table);
        DynamoDbLog.TableReady(logger, table, description.TableStatus?.Value ?? "unknown");
    }

    private static async Task<TableDescription?> DescribeAsync(IAmazonDynamoDB client, string table, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, cancellationToken).ConfigureAwait(false);
            return response.Table;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private static async Task<TableDescription> CreateAsync(IAmazonDynamoDB client, string table, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var attributes = new List<AttributeDefinition> { new(PartitionKey, ScalarAttributeType.S) };
        var indexes = new List<GlobalSecondaryIndex>();
        foreach (var (name, hash, range) in Indexes)
        {
            attributes.Add(new AttributeDefinition(hash, ScalarAttributeType.S));
            var schema = new List<KeySchemaElement> { new(hash, KeyType.HASH) };
            if (range is not null)
            {
                attributes.Add(new AttributeDefinition(range, ScalarAttributeType.S));
                schema.Add(new KeySchemaElement(range, KeyType.RANGE));
            }

            // Keys only, except the status listing, which returns the record without a second read per device.
            var projection = name == StatusIndex
                ? new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = [Thing, RecordVersion, State, Since] }
                : new Projection { ProjectionType = ProjectionType.KEYS_ONLY };
            indexes.Add(new GlobalSecondaryIndex { IndexName = name, KeySchema = schema, Projection = projection });
        }

        TableDescription created;
        try
        {
            var response = await client.CreateTableAsync(
                new CreateTableRequest
                {
                    TableName = table,
                    AttributeDefinitions = attributes,
                    KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH)],
                    GlobalSecondaryIndexes = indexes,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                },
                cancellationToken).ConfigureAwait(false);
            created = response.TableDescription;
        }
        catch (ResourceInUseException)
        {
            // Another process created it first: wait for theirs.
            return await DescribeAsync(client, table, cancellationToken).ConfigureAwait(false)
                ?? throw new DeviceStoreException($"DynamoDB store table '{table}': the table was deleted while it was being created");
        }

        var deadline = time.GetUtcNow() + ActiveTimeout;
        while (created.TableStatus != TableStatus.ACTIVE && time.GetUtcNow() < deadline)
        {
            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            created = await DescribeAsync(client, table, cancellationToken).ConfigureAwait(false) ?? created;
        }

        await EnableTimeToLiveAsync(client, table, logger, cancellationToken).ConfigureAwait(false);
        DynamoDbLog.TableCreated(logger, table, ExpiresAt);
        return created;
    }

    private static async Task EnableTimeToLiveAsync(IAmazonDynamoDB client, string table, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateTimeToLiveAsync(
                new UpdateTimeToLiveRequest { TableName = table, TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ExpiresAt, Enabled = true } },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonDynamoDBException exception) when (exception.ErrorCode is "UnknownOperationException" or "ValidationException")
        {
            // Local emulators (dynalite) do not implement time to live; the store works without it, only keeps more.
            DynamoDbLog.TimeToLiveUnavailable(logger, table, $"{exception.ErrorCode}: {exception.Message}");
        }
    }

    private static void Verify(TableDescription description, string table)
    {
        var key = description.KeySchema ?? [];
        if (key.Count != 1 || key[0].AttributeName != PartitionKey || key[0].KeyType != KeyType.HASH)
        {
            throw new DeviceStoreException($"DynamoDB store table '{table}': its key is not the string hash key '{PartitionKey}' alone, so it is not a table of this store; use another TableName, or create the table as the GracefulDisconnect.DynamoDb README shows");
        }

        var present = (description.GlobalSecondaryIndexes ?? []).ToDictionary(index => index.IndexName, StringComparer.Ordinal);
        foreach (var (name, hash, range) in Indexes)
        {
            if (!present.TryGetValue(name, out var index))
            {
                throw new DeviceStoreException($"DynamoDB store table '{table}': the global secondary index '{name}' (hash '{hash}'{(range is null ? string.Empty : $", range '{range}'")}) is missing; add it as the GracefulDisconnect.DynamoDb README shows");
            }

            var schema = index.KeySchema ?? [];
            var matches = schema.Any(k => k.AttributeName == hash && k.KeyType == KeyType.HASH)
                && (range is null ? schema.Count == 1 : schema.Any(k => k.AttributeName == range && k.KeyType == KeyType.RANGE));
            if (!matches)
            {
                throw new DeviceStoreException($"DynamoDB store table '{table}': the global secondary index '{name}' does not have the key hash '{hash}'{(range is null ? string.Empty : $", range '{range}'")}; recreate it as the GracefulDisconnect.DynamoDb README shows");
            }
        }
    }
}
