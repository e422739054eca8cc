using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace GracefulDisconnect.DynamoDb.Tests.Stores;

/// <summary>CreateTableIfMissing makes the table the store queries: one hash key, four sparse indexes, on-demand billing.</summary>
[Collection(DynaliteGroup.Name)]
public sealed class TableSetupTests(DynaliteServer server)
{
    [Fact]
    public async Task OpenAsync_CreateTableIfMissing_CreatesTheTableWithItsIndexesOnDemand()
    {
        var table = DynaliteServer.NewTable();
        using var client = server.NewClient();

        var logs = new FakeLogCollector();
        using var loggerFactory = new LoggerFactory([new FakeLoggerProvider(logs)]);
        using (await DynamoDbDeviceStore.OpenAsync(server.Options(table), client, loggerFactory: loggerFactory))
        {
        }

        // dynalite implements no time to live: the store says so and goes on (DynamoDB itself turns it on).
        Assert.Contains(logs.GetSnapshot(), log => log.Id.Id == 6102 && log.Message.Contains(table, StringComparison.Ordinal));
        Assert.Contains(logs.GetSnapshot(), log => log.Id.Id == 6100);

        var description = (await client.DescribeTableAsync(table)).Table;
        Assert.Equal(["pk"], description.KeySchema.Select(k => k.AttributeName));
        Assert.Equal(BillingMode.PAY_PER_REQUEST, description.BillingModeSummary?.BillingMode);
        Assert.Equal(
            [("delivery", "deliveryQueue", "deliveryKey"), ("outbox", "outboxPending", "outboxAt"), ("status", "status", "statusKey"), ("wake", "wakeQueue", "wakeKey")],
            description.GlobalSecondaryIndexes
                .Select(index => (index.IndexName, index.KeySchema.Single(k => k.KeyType == KeyType.HASH).AttributeName, index.KeySchema.Single(k => k.KeyType == KeyType.RANGE).AttributeName))
                .OrderBy(index => index.IndexName, StringComparer.Ordinal));
    }

    [Fact]
    public async Task OpenAsync_TwoProcessesCreatingTheSameTableAtOnce_BothOpenIt()
    {
        var table = DynaliteServer.NewTable();

        var stores = await Task.WhenAll(
            DynamoDbDeviceStore.OpenAsync(server.Options(table), server.NewClient()),
            DynamoDbDeviceStore.OpenAsync(server.Options(table), server.NewClient()));

        Assert.Empty(await stores[0].CommitAsync([new DeviceChange("t1", 0, "s", null, [])]));
        Assert.Equal([new StoredDevice("t1", 1, "s")], await stores[1].LoadAsync(["t1"]));
        Array.ForEach(stores, store => store.Dispose());
    }
}
