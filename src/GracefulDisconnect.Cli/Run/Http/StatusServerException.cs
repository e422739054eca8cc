namespace GracefulDisconnect.Cli.Run.Http;

/// <summary>The status page cannot be served (the port is taken, the address is not this machine's): a user's fix, reported in one line.</summary>
internal sealed class StatusServerException : Exception
{
    public StatusServerException()
    {
    }

    public StatusServerException(string message)
        : base(message)
    {
    }

    public StatusServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
