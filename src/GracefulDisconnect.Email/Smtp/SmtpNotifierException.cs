namespace GracefulDisconnect.Email;

/// <summary>
/// An e-mail notification could not be sent. The message names the server (host:port), the stage, and the SMTP
/// status and reply when the server gave one; it never carries the password, even when a server echoes it back.
/// </summary>
public sealed class SmtpNotifierException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SmtpNotifierException()
        : this("An e-mail notification could not be sent.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public SmtpNotifierException(string message)
        : base(message)
    {
        Host = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SmtpNotifierException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Host = string.Empty;
    }

    internal SmtpNotifierException(string message, Exception? innerException, string host, int port, SmtpStage stage, int? statusCode)
        : base(message, innerException)
    {
        Host = host;
        Port = port;
        Stage = stage;
        StatusCode = statusCode;
    }

    /// <summary>The SMTP server's host.</summary>
    public string Host { get; }

    /// <summary>The SMTP server's port.</summary>
    public int Port { get; }

    /// <summary>Where the conversation failed.</summary>
    public SmtpStage Stage { get; }

    /// <summary>The SMTP reply code (for example 421, 535, 550), when the server answered with one.</summary>
    public int? StatusCode { get; }
}
