using Microsoft.Data.Sqlite;

namespace GracefulDisconnect.Sqlite.Tests;

/// <summary>A database file in a fresh temporary folder, deleted with the folder afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gd-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Path = System.IO.Path.Combine(Folder, "store.db");
    }

    public string Folder { get; }

    public string Path { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A connection that a failed test left open; the OS temp cleaner gets it.
        }
    }
}
