using Microsoft.Data.Sqlite;

namespace GracefulDisconnect.Sqlite;

/// <summary>
/// Turns SQLite's error codes into one line a person can act on, naming the file: a user's environment (a read-only
/// folder, a file that is not a database, a full disk) is not a bug, so it gets no stack trace.
/// </summary>
internal static class SqliteFailure
{
    // Primary result codes (https://sqlite.org/rescode.html).
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    public static DeviceStoreException Describe(SqliteException exception, string path) => exception.SqliteErrorCode switch
    {
        Full => new DeviceStoreException($"store '{path}': the disk is full; nothing was written, retrying", exception) { IsTransient = true },
        Busy or Locked => new DeviceStoreException($"store '{path}': the database is locked by another connection; retrying", exception) { IsTransient = true },
        IoError => new DeviceStoreException($"store '{path}': a disk I/O error ({exception.Message.TrimEnd('.')}); retrying", exception) { IsTransient = true },
        ReadOnly => new DeviceStoreException($"store '{path}': the file or its folder is read-only; give this user write access, or choose another --store", exception),
        CantOpen => new DeviceStoreException($"store '{path}': cannot open or create the file (does its folder exist and is it writable?)", exception),
        Corrupt => new DeviceStoreException($"store '{path}': the database file is corrupt; restore it from a backup, or move it away to start afresh (every outage would be notified again)", exception),
        NotADatabase => new DeviceStoreException($"store '{path}': the file is not a SQLite database (is --store pointing at the wrong file?)", exception),
        _ => new DeviceStoreException($"store '{path}': {exception.Message}", exception),
    };
}
