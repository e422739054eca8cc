namespace GracefulDisconnect.Cli;

/// <summary>Exit codes, after BSD sysexits where one fits.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something went wrong at run time (a request failed, a notification could not be sent).</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: unknown option, bad duration, invalid thing name, missing file.</summary>
    public const int Usage = 2;

    /// <summary>The input data is malformed (EX_DATAERR).</summary>
    public const int DataError = 65;

    /// <summary>An output file cannot be created or written: the notify file (EX_CANTCREAT).</summary>
    public const int CannotCreate = 73;

    /// <summary>The store cannot be opened or used: read-only, not a database, corrupt, of a newer schema, deleted while running (EX_IOERR).</summary>
    public const int StoreError = 74;

    /// <summary>The store is in use by another process (EX_TEMPFAIL: try again once that process has stopped).</summary>
    public const int StoreInUse = 75;
}
