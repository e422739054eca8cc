using Microsoft.Data.Sqlite;

namespace GracefulDisconnect.Sqlite.Tests.Devices;

/// <summary>A store file of schema 1 (before listings by status) opens, keeps its records, and lists them from their next commit.</summary>
public sealed class SqliteDeviceSchemaMigrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gd-sqlite-migration-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [Fact]
    public async Task Open_FileOfSchemaOne_MigratesKeepingRecordsAndListsThemFromTheirNextCommit()
    {
        var path = Path.Combine(_folder, "v1.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = SqliteDeviceSchema.Migrations[0]
                + "CREATE TABLE device_store_schema (version INTEGER NOT NULL); INSERT INTO device_store_schema VALUES (1);"
                + "INSERT INTO device (thing, version, state, wake_at) VALUES ('old', 4, '{\"s\":1}', NULL);";
            command.ExecuteNonQuery();
        }

        using var store = SqliteDeviceStore.Open(path);

        Assert.Equal(new StoredDevice("old", 4, "{\"s\":1}"), Assert.Single(await store.LoadAsync(["old"])));
        Assert.Empty(await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 10)));
        Assert.Equal(new DeviceStoreCounts(0, 0, 0), await store.CountAsync());

        var since = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Empty(await store.CommitAsync([new DeviceChange("old", 4, "{\"s\":1,\"l\":{}}", null, []) { Status = new DeviceStatus(true, since) }]));
        var listed = Assert.Single(await store.ListByStatusAsync(new DeviceStatusQuery(Offline: true, Max: 10)));
        Assert.Equal(new ListedDevice(new StoredDevice("old", 5, "{\"s\":1,\"l\":{}}"), new DeviceStatus(true, since)), listed);
    }
}
