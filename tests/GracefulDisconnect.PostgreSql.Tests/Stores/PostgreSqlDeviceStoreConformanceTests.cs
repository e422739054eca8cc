using GracefulDisconnect.Testing.Stores;

namespace GracefulDisconnect.PostgreSql.Tests.Stores;

/// <summary>The PostgreSQL store against the conformance suite every store runs; the second store is another process's view of the same schema.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgreSqlDeviceStoreConformanceTests(PostgresServer server) : DeviceStoreConformanceTests
{
    // A schema per store: each test's store starts empty, as the suite requires.
    protected override async Task<IDeviceStore> CreateStoreAsync() => await PostgreSqlDeviceStore.OpenAsync(server.Options(PostgresServer.NewSchema()));

    protected override async Task<IDeviceStore> OpenSecondAsync(IDeviceStore first)
        => await PostgreSqlDeviceStore.OpenAsync(server.Options(((PostgreSqlDeviceStore)first).Schema));
}
