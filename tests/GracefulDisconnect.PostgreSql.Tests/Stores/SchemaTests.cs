using Npgsql;

namespace GracefulDisconnect.PostgreSql.Tests.Stores;

/// <summary>Schema management: created on first start, once when processes start together, one per deployment, a newer one refused.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class SchemaTests(PostgresServer server)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OpenAsync_SchemaOfANewerVersion_IsRefusedWithAClearMessage()
    {
        var schema = PostgresServer.NewSchema();
        await (await PostgreSqlDeviceStore.OpenAsync(server.Options(schema))).DisposeAsync();
        await server.ExecuteAsSuperuserAsync($"INSERT INTO {schema}.schema_version (version) VALUES (99)");

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(() => PostgreSqlDeviceStore.OpenAsync(server.Options(schema)));

        Assert.Contains($"schema '{schema}' is at version 99, newer than the {PostgreSqlDeviceSchema.CurrentVersion}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade GracefulDisconnect", failure.Message, StringComparison.Ordinal);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task Operations_OnAStoreCreatedWithoutOpening_RefuseANewerSchemaToo()
    {
        var schema = PostgresServer.NewSchema();
        await (await PostgreSqlDeviceStore.OpenAsync(server.Options(schema))).DisposeAsync();
        await server.ExecuteAsSuperuserAsync($"INSERT INTO {schema}.schema_version (version) VALUES (7)");
        await using var store = PostgreSqlDeviceStore.Create(server.Options(schema));

        var failure = await Assert.ThrowsAsync<DeviceStoreException>(async () => await store.CommitAsync([new DeviceChange("t1", 0, "s", null, [])]));

        Assert.Contains("newer than", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ManyProcessesStartingTogether_CreateTheSchemaOnce()
    {
        var schema = PostgresServer.NewSchema();

        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgreSqlDeviceStore.OpenAsync(server.Options(schema)))));

        try
        {
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT array_agg(version ORDER BY version) FROM {schema}.schema_version", connection);
            Assert.Equal(Enumerable.Range(1, PostgreSqlDeviceSchema.CurrentVersion), (int[])(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task SchemaOption_TwoDeploymentsInOneDatabase_SeeNothingOfEachOther()
    {
        await using var production = await PostgreSqlDeviceStore.OpenAsync(server.Options(PostgresServer.NewSchema()));
        await using var staging = await PostgreSqlDeviceStore.OpenAsync(server.Options(PostgresServer.NewSchema()));
        await using var productionPeer = await PostgreSqlDeviceStore.OpenAsync(server.Options(production.Schema));
        await WarmUpListenersAsync(staging, productionPeer);

        await production.CommitAsync([new DeviceChange("t1", 0, "production", T0, [new OutboxMessage("ch", "t1@1", "p")])]);

        Assert.Empty(await staging.LoadAsync(["t1"]));
        Assert.Empty(await staging.ClaimDueAsync(T0, TimeSpan.FromMinutes(1), 10));
        Assert.Empty(await staging.ClaimDeliveriesAsync("ch", T0, TimeSpan.FromMinutes(1), 10));
        Assert.Equal(new DeviceStoreCounts(0, 0, 0), await staging.CountAsync());
        Assert.True(await productionPeer.WaitForSignalAsync(TimeSpan.FromSeconds(10)), "the production peer hears production's commit");
        Assert.False(await staging.WaitForSignalAsync(TimeSpan.FromMilliseconds(500)), "staging does not hear production's commit");

        // The same device name in the other deployment is another device.
        Assert.Empty(await staging.CommitAsync([new DeviceChange("t1", 0, "staging", null, [])]));
        Assert.Equal(new StoredDevice("t1", 1, "production"), Assert.Single(await productionPeer.LoadAsync(["t1"])));
        Assert.Equal(new DeviceStoreCounts(1, 1, 0), await productionPeer.CountAsync());
    }

    [Fact]
    public async Task WaitForSignalAsync_CommitWithDueWorkInAnotherProcess_Signals_CommitWithOnlyLaterWakes_DoesNot()
    {
        var schema = PostgresServer.NewSchema();
        await using var writer = await PostgreSqlDeviceStore.OpenAsync(server.Options(schema));
        await using var idle = await PostgreSqlDeviceStore.OpenAsync(server.Options(schema));
        await WarmUpListenersAsync(idle);

        // Wakes are judged against the writer's clock (the system clock here): far in the future is not due.
        await writer.CommitAsync([new DeviceChange("later", 0, "s", DateTimeOffset.UtcNow.AddHours(1), [])]);
        Assert.False(await idle.WaitForSignalAsync(TimeSpan.FromMilliseconds(700)));

        await writer.CommitAsync([new DeviceChange("due", 0, "s", DateTimeOffset.UtcNow.AddSeconds(-1), [])]);
        Assert.True(await idle.WaitForSignalAsync(TimeSpan.FromSeconds(10)));

        await writer.CommitAsync([new DeviceChange("idle-with-outbox", 0, "s", null, [new OutboxMessage("ch", "n1", "p")])]);
        Assert.True(await idle.WaitForSignalAsync(TimeSpan.FromSeconds(10)));
    }

    // The first wait opens the LISTEN connection; what is committed before it is listening is not heard.
    private static async Task WarmUpListenersAsync(params PostgreSqlDeviceStore[] stores)
    {
        foreach (var store in stores)
        {
            await store.WaitForSignalAsync(TimeSpan.FromMilliseconds(500));
        }
    }
}
