using GracefulDisconnect.Testing.Stores;

namespace GracefulDisconnect.Sqlite.Tests.Devices;

/// <summary>The SQLite device store passes the suite every store passes, on a fresh file per test.</summary>
public sealed class SqliteDeviceStoreConformanceTests : DeviceStoreConformanceTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gd-sqlite-conformance-").FullName;

    protected override Task<IDeviceStore> CreateStoreAsync()
        => Task.FromResult<IDeviceStore>(SqliteDeviceStore.Open(Path.Combine(_folder, $"{Guid.NewGuid():N}.db")));

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
}
