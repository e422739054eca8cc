using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

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

        using (await DynamoDbDeviceStore.OpenAsync(server.Options(table), client))
        {
        }

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
