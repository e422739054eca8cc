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
}
