using GracefulDisconnect.Testing.Stores;

namespace GracefulDisconnect.DynamoDb.Tests.Stores;

/// <summary>The DynamoDB store against the conformance suite every store runs; the second store is another process's view of the same table (its own client).</summary>
[Collection(DynaliteGroup.Name)]
public sealed class DynamoDbDeviceStoreConformanceTests(DynaliteServer server) : DeviceStoreConformanceTests
{
    // A table per store: each test's store starts empty, as the suite requires.
    protected override async Task<IDeviceStore> CreateStoreAsync() => await DynamoDbDeviceStore.OpenAsync(server.Options(DynaliteServer.NewTable()), server.NewClient());

    protected override async Task<IDeviceStore> OpenSecondAsync(IDeviceStore first)
        => await DynamoDbDeviceStore.OpenAsync(server.Options(((DynamoDbDeviceStore)first).TableName, createTableIfMissing: false), server.NewClient());
}
