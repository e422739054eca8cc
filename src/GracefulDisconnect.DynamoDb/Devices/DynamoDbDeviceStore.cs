using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static GracefulDisconnect.DynamoDb.AttributeValues;
using static GracefulDisconnect.DynamoDb.DynamoDbTableLayout;

namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// The <see cref="IDeviceStore"/> on one DynamoDB table, shared by any number of processes (Lambda included). Each
/// device is one item written by a conditional update on its <c>version</c>, which carries the record, wake time,
/// status and the commit's outbox entries together, so a device's state and its notifications are atomic without
/// transactions; the entries are then queued as one message item per (channel, notification). Due wakes and
/// undelivered messages are claimed through sparse indexes with a lease held in the index key, so each goes to
/// exactly one process and a process that dies leaves its claims to be taken over when they expire. Thread-safe.
/// </summary>
/// <remarks>
/// A commit of several devices writes each device atomically and independently (DynamoDB has no atomic write of
/// thousands of items): a device whose version moved on is returned and written not at all, the others are written.
/// If the service fails part-way, the devices written before the failure keep their new version and the exception
/// says how many; redoing the step then meets them as conflicts, reloads and reapplies, which the engine's steps
/// make harmless. Time to live on <c>expiresAt</c> only deletes delivered messages long after delivery; it is never
/// a timer.
/// </remarks>
public sealed class DynamoDbDeviceStore : IDeviceStore, IDisposable
{
    private const int BatchGetLimit = 100;

    private readonly IAmazonDynamoDB _client;
    private readonly bool _ownsClient;
    private readonly bool _createTable;
    private readonly TimeSpan? _retention;
    private readonly int _concurrency;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OutboxQueue _outbox;
    private readonly IndexClaim _claims;
    private readonly Lock _tableGate = new();
    private Task? _table;
    private int _disposed;

    private DynamoDbDeviceStore(IAmazonDynamoDB client, bool ownsClient, DynamoDbStoreOptions options, TimeProvider time, ILogger logger)
    {
        _client = client;
        _ownsClient = ownsClient;
        TableName = options.TableName;
        _createTable = options.CreateTableIfMissing;
        _retention = options.DeliveredRetention;
        _concurrency = options.MaxConcurrentWrites;
        _time = time;
        _logger = logger;
        _outbox = new OutboxQueue(client, TableName, time, logger);
        _claims = new IndexClaim(client, TableName, _concurrency);
    }

    /// <summary>The table that holds the store.</summary>
    public string TableName { get; }

    /// <summary>
    /// Opens the store and checks its table (creating it when <see cref="DynamoDbStoreOptions.CreateTableIfMissing"/>),
    /// so a missing table, missing permissions or missing credentials are reported here rather than at the first event.
    /// </summary>
    /// <param name="options">The table, and where it is.</param>
    /// <param name="client">The client to use (the application keeps and disposes it); <see langword="null"/> creates one from the options and the SDK's default chains.</param>
    /// <param name="time">The clock that stamps commits and deliveries; the system clock by default.</param>
    /// <param name="loggerFactory">Where the store logs; nowhere by default.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The open store; dispose it to release a client it created.</returns>
    /// <exception cref="ArgumentException">The options are not valid (the message names the option and the fix).</exception>
    /// <exception cref="DeviceStoreException">The table is missing or not one of this store, or DynamoDB refused the request; the message names the table.</exception>
    public static async Task<DynamoDbDeviceStore> OpenAsync(DynamoDbStoreOptions options, IAmazonDynamoDB? client = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var store = Create(options, client, time, loggerFactory);
        try
        {
            await store.RunAsync(static _ => Task.FromResult(0), cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates the store without calling DynamoDB; the table is checked (or created) by the first call. For dependency
    /// injection, whose factories cannot wait (<c>UseDynamoDbStore</c>).
    /// </summary>
    /// <param name="options">The table, and where it is.</param>
    /// <param name="client">The client to use (the application keeps and disposes it); <see langword="null"/> creates one from the options.</param>
    /// <param name="time">The clock; the system clock by default.</param>
    /// <param name="loggerFactory">Where the store logs; nowhere by default.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">The options are not valid (the message names the option and the fix).</exception>
    public static DynamoDbDeviceStore Create(DynamoDbStoreOptions options, IAmazonDynamoDB? client = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new DynamoDbStoreOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException($"DynamoDB store options: {validation.FailureMessage}", nameof(options));
        }

        var logger = loggerFactory?.CreateLogger<DynamoDbDeviceStore>() ?? (ILogger)NullLogger.Instance;
        return client is null
            ? new DynamoDbDeviceStore(DynamoDbClientFactory.Create(options), ownsClient: true, options, time ?? TimeProvider.System, logger)
            : new DynamoDbDeviceStore(client, ownsClient: false, options, time ?? TimeProvider.System, logger);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredDevice>> LoadAsync(IReadOnlyCollection<string> thingNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thingNames);
        return RunAsync<IReadOnlyList<StoredDevice>>(
            async token =>
            {
                var found = new List<StoredDevice>(thingNames.Count);
                foreach (var chunk in thingNames.Distinct(StringComparer.Ordinal).Chunk(BatchGetLimit))
                {
                    var keys = new KeysAndAttributes
                    {
                        Keys = [.. chunk.Select(thing => Key(DeviceKey(thing)))],
                        ConsistentRead = true,
                        ProjectionExpression = "#thing, #version, #state",
                        ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#thing"] = Thing, ["#version"] = RecordVersion, ["#state"] = State },
                    };
                    for (var attempt = 0; keys is { Keys.Count: > 0 }; attempt++)
                    {
                        if (attempt > 0)
                        {
                            // Keys DynamoDB left unprocessed (throttling): back off before asking again.
                            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 << Math.Min(attempt, 6), 2000)), _time, token).ConfigureAwait(false);
                        }

                        var response = await _client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = new(StringComparer.Ordinal) { [TableName] = keys } }, token).ConfigureAwait(false);
                        if (response.Responses is { } responses && responses.TryGetValue(TableName, out var items))
                        {
                            found.AddRange(items.Select(static item => new StoredDevice(String(item, Thing), Long(item, RecordVersion), String(item, State))));
                        }

                        keys = response.UnprocessedKeys is { } unprocessed && unprocessed.TryGetValue(TableName, out var rest) ? rest : null;
                    }
                }

                return found;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Each device is written atomically with its outbox entries; devices are written independently of each other
    /// (see the class remarks). Once the first write has started, cancellation no longer stops the commit: it writes
    /// every device it was given, so a cancelled commit has written everything, or nothing if cancelled before.
    /// </remarks>
    public ValueTask<IReadOnlyCollection<string>> CommitAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return ValueTask.FromResult<IReadOnlyCollection<string>>([]);
        }

        return RunAsync<IReadOnlyCollection<string>>(
            async token =>
            {
                var sequences = await ReserveSequencesAsync(changes, token).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                var conflicted = new bool[changes.Count];
                var failures = new Exception?[changes.Count];
                await Parallel.ForAsync(
                    0,
                    changes.Count,
                    new ParallelOptions { MaxDegreeOfParallelism = _concurrency },
                    async (i, _) =>
                    {
                        try
                        {
                            conflicted[i] = !await WriteAsync(changes[i], sequences[i], now).ConfigureAwait(false);
                        }
                        catch (Exception exception) when (DynamoDbFailure.IsStoreFailure(exception))
                        {
                            failures[i] = exception;
                        }
                    }).ConfigureAwait(false);

                if (Array.FindIndex(failures, static f => f is not null) is var failed and >= 0)
                {
                    var written = changes.Count - failures.Count(static f => f is not null) - conflicted.Count(static c => c);
                    DynamoDbLog.CommitPartlyWritten(_logger, TableName, changes.Count, written, failures[failed]!);
                    var described = DynamoDbFailure.Describe(failures[failed]!, TableName);
                    throw new DeviceStoreException($"{described.Message} ({written} of the commit's {changes.Count} devices were written and keep their new version; the others were not)", failures[failed]!) { IsTransient = described.IsTransient };
                }

                var conflicts = new List<string>();
                for (var i = 0; i < changes.Count; i++)
                {
                    if (conflicted[i])
                    {
                        conflicts.Add(changes[i].ThingName);
                    }
                }

                return conflicts;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Earliest wake first; a device whose claim expired (its claimer died) is due again from the end of that claim,
    /// and is ordered by that time.
    /// </remarks>
    public ValueTask<IReadOnlyList<string>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var until = now + lease;
        return RunAsync<IReadOnlyList<string>>(
            async token =>
            {
                var claimed = await _claims.ClaimAsync(
                    WakeIndex, WakeQueue, Due, WakeKey, now, max, (key, _) => SortKey.Of(until, key[DevicePrefix.Length..]), ReturnValue.NONE, token).ConfigureAwait(false);
                return [.. claimed.Select(static c => c.Key[DevicePrefix.Length..])];
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<PendingDelivery>> ClaimDeliveriesAsync(string channel, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var until = now + lease;
        return RunAsync<IReadOnlyList<PendingDelivery>>(
            async token =>
            {
                await _outbox.SweepAsync(token).ConfigureAwait(false);
                var claimed = await _claims.ClaimAsync(
                    DeliveryIndex, DeliveryQueue, channel, DeliveryKey, now, max, (key, _) => SortKey.Of(until, long.Parse(key.AsSpan(MessagePrefix.Length), System.Globalization.CultureInfo.InvariantCulture)), ReturnValue.ALL_NEW, token).ConfigureAwait(false);
                var deliveries = claimed
                    .Select(static c => new PendingDelivery(Long(c.Attributes!, Sequence), String(c.Attributes!, Channel), String(c.Attributes!, NotificationId), String(c.Attributes!, Payload), (int)Long(c.Attributes!, Attempts)))
                    .ToList();
                deliveries.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
                return deliveries;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask CompleteDeliveryAsync(long sequence, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        return IgnoreResult(RunAsync(
            async token =>
            {
                var names = new Dictionary<string, string>(StringComparer.Ordinal) { ["#queue"] = DeliveryQueue, ["#key"] = DeliveryKey, ["#deliveredAt"] = DeliveredAt };
                var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":now"] = N(now.UtcTicks) };
                var expiry = string.Empty;
                if (_retention is { } retention)
                {
                    names["#expiresAt"] = ExpiresAt;
                    values[":expiresAt"] = N((now + retention).ToUnixTimeSeconds());
                    expiry = ", #expiresAt = :expiresAt";
                }

                UpdateItemResponse response;
                try
                {
                    response = await _client.UpdateItemAsync(
                        new UpdateItemRequest
                        {
                            TableName = TableName,
                            Key = Key(MessageKey(sequence)),
                            UpdateExpression = $"SET #deliveredAt = :now{expiry} REMOVE #queue, #key",
                            ConditionExpression = "attribute_exists(#queue)",
                            ExpressionAttributeNames = names,
                            ExpressionAttributeValues = values,
                            ReturnValues = ReturnValue.ALL_NEW,
                        },
                        token).ConfigureAwait(false);
                }
                catch (ConditionalCheckFailedException)
                {
                    // Delivered before, or no such message: nothing to record.
                    return 0;
                }

                if (_retention is not null)
                {
                    // The guard goes with the message: until both expire, the notification is not queued again.
                    var item = response.Attributes;
                    try
                    {
                        await _client.UpdateItemAsync(
                            new UpdateItemRequest
                            {
                                TableName = TableName,
                                Key = Key(GuardKey(String(item, Channel), String(item, NotificationId))),
                                UpdateExpression = "SET #expiresAt = :expiresAt",
                                ConditionExpression = "#sequence = :sequence",
                                ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#expiresAt"] = ExpiresAt, ["#sequence"] = Sequence },
                                ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":expiresAt"] = values[":expiresAt"], [":sequence"] = N(sequence) },
                            },
                            token).ConfigureAwait(false);
                    }
                    catch (ConditionalCheckFailedException)
                    {
                        // The guard is missing or holds another sequence (a table edited by hand): only the message expires.
                    }
                }

                return 0;
            },
            cancellationToken));
    }

    /// <inheritdoc/>
    public ValueTask RetryDeliveryAsync(long sequence, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
        => IgnoreResult(RunAsync(
            async token =>
            {
                try
                {
                    await _client.UpdateItemAsync(
                        new UpdateItemRequest
                        {
                            TableName = TableName,
                            Key = Key(MessageKey(sequence)),
                            UpdateExpression = "SET #key = :key ADD #attempts :one",
                            ConditionExpression = "attribute_exists(#queue)",
                            ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#queue"] = DeliveryQueue, ["#key"] = DeliveryKey, ["#attempts"] = Attempts },
                            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":key"] = S(SortKey.Of(retryAt, sequence)), [":one"] = N(1) },
                        },
                        token).ConfigureAwait(false);
                }
                catch (ConditionalCheckFailedException)
                {
                    // Delivered meanwhile, or no such message: nothing to retry.
                }

                return 0;
            },
            cancellationToken));

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ListedDevice>> ListByStatusAsync(DeviceStatusQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Max, 1);
        var status = query.Offline ? Offline : Online;
        return RunAsync<IReadOnlyList<ListedDevice>>(
            async token =>
            {
                var names = new Dictionary<string, string>(StringComparer.Ordinal) { ["#status"] = Status };
                var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":status"] = S(status) };
                var condition = "#status = :status";
                if (query.After is { } after)
                {
                    names["#statusKey"] = StatusKey;
                    values[":after"] = S(SortKey.Of(after.Since, after.ThingName));
                    condition += query.NewestFirst ? " AND #statusKey < :after" : " AND #statusKey > :after";
                }

                var listed = new List<ListedDevice>(query.Max);
                Dictionary<string, AttributeValue>? start = null;
                do
                {
                    var response = await _client.QueryAsync(
                        new QueryRequest
                        {
                            TableName = TableName,
                            IndexName = StatusIndex,
                            KeyConditionExpression = condition,
                            ExpressionAttributeNames = names,
                            ExpressionAttributeValues = values,
                            ScanIndexForward = !query.NewestFirst,
                            Limit = query.Max - listed.Count,
                            ExclusiveStartKey = start,
                        },
                        token).ConfigureAwait(false);
                    foreach (var item in response.Items ?? [])
                    {
                        var device = new StoredDevice(String(item, Thing), Long(item, RecordVersion), String(item, State));
                        listed.Add(new ListedDevice(device, new DeviceStatus(query.Offline, new DateTimeOffset(Long(item, Since), TimeSpan.Zero))));
                    }

                    start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
                }
                while (start is not null && listed.Count < query.Max);

                return listed;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Counts through the indexes (eventually consistent): a commit of a moment ago may not be counted yet.</remarks>
    public ValueTask<DeviceStoreCounts> CountAsync(CancellationToken cancellationToken = default)
        => RunAsync(
            async token =>
            {
                await _outbox.SweepAsync(token).ConfigureAwait(false);
                var waking = await CountIndexAsync(WakeIndex, WakeQueue, Due, token).ConfigureAwait(false);
                var offline = await CountIndexAsync(StatusIndex, Status, Offline, token).ConfigureAwait(false);
                var registry = await _client.GetItemAsync(new GetItemRequest { TableName = TableName, Key = Key(ChannelsKey), ConsistentRead = true }, token).ConfigureAwait(false);
                var undelivered = 0L;
                if (registry.Item is { } item && item.TryGetValue(Channels, out var channels) && channels.SS is { } names)
                {
                    foreach (var channel in names)
                    {
                        undelivered += await CountIndexAsync(DeliveryIndex, DeliveryQueue, channel, token).ConfigureAwait(false);
                    }
                }

                return new DeviceStoreCounts(waking, undelivered, offline);
            },
            cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsClient)
        {
            _client.Dispose();
        }
    }

    private static async ValueTask IgnoreResult(ValueTask<int> task) => await task.ConfigureAwait(false);

    // One conditional update; false when the condition failed (the version moved on). The outbox entries are queued
    // right after; should that fail, they are already durable in the device's item and a later sweep queues them.
    private async Task<bool> WriteAsync(DeviceChange change, IReadOnlyList<long> sequences, DateTimeOffset now)
    {
        UpdateItemResponse response;
        try
        {
            response = await _client.UpdateItemAsync(DeviceWrite.For(TableName, change, sequences, now), CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }

        if (change.Outbox.Count > 0)
        {
            try
            {
                await _outbox.QueueAsync(change.ThingName, change.ExpectedVersion + 1, OutboxEntry.Read(response.Attributes), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception) when (DynamoDbFailure.IsStoreFailure(exception))
            {
                DynamoDbLog.QueueingDeferred(_logger, TableName, change.ThingName, exception);
            }
        }

        return true;
    }

    // One atomic counter bump (ADD) numbers every message of the commit; numbers of a conflicting change are never used.
    private async Task<long[][]> ReserveSequencesAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken)
    {
        var total = changes.Sum(static change => change.Outbox.Count);
        var sequences = new long[changes.Count][];
        if (total == 0)
        {
            Array.Fill(sequences, []);
            return sequences;
        }

        await _outbox.RegisterChannelsAsync(changes.SelectMany(static change => change.Outbox).Select(static message => message.Channel), cancellationToken).ConfigureAwait(false);
        var response = await _client.UpdateItemAsync(
            new UpdateItemRequest
            {
                TableName = TableName,
                Key = Key(SequenceKey),
                UpdateExpression = "ADD #next :count",
                ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#next"] = Next },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":count"] = N(total) },
                ReturnValues = ReturnValue.UPDATED_NEW,
            },
            cancellationToken).ConfigureAwait(false);
        var next = Long(response.Attributes, Next) - total + 1;
        for (var i = 0; i < changes.Count; i++)
        {
            sequences[i] = new long[changes[i].Outbox.Count];
            for (var j = 0; j < sequences[i].Length; j++)
            {
                sequences[i][j] = next++;
            }
        }

        return sequences;
    }

    private async Task<long> CountIndexAsync(string index, string hashName, string hashValue, CancellationToken cancellationToken)
    {
        var count = 0L;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await _client.QueryAsync(
                new QueryRequest
                {
                    TableName = TableName,
                    IndexName = index,
                    KeyConditionExpression = "#hash = :hash",
                    ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#hash"] = hashName },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":hash"] = S(hashValue) },
                    Select = Select.COUNT,
                    ExclusiveStartKey = start,
                },
                cancellationToken).ConfigureAwait(false);
            count += response.Count ?? 0;
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return count;
    }

    // The table is checked once per store (again after a failure: it may have been created meanwhile); the SDK's and
    // the service's errors become one line naming the table.
    private async ValueTask<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
            return await operation(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DynamoDbFailure.IsStoreFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            throw DynamoDbFailure.Describe(exception, TableName);
        }
    }

    private Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        var table = Volatile.Read(ref _table);
        if (table is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        lock (_tableGate)
        {
            if (_table is null || _table.IsFaulted || _table.IsCanceled)
            {
                // Not cancelled by one caller's token: other callers wait for the same check.
                _table = DynamoDbTableSetup.EnsureAsync(_client, TableName, _createTable, _time, _logger, CancellationToken.None);
            }

            return _table.WaitAsync(cancellationToken);
        }
    }
}
