namespace GracefulDisconnect.Email;

/// <summary>Where in the SMTP conversation a send failed.</summary>
public enum SmtpStage
{
    /// <summary>Connecting, the server's greeting, EHLO or the TLS handshake.</summary>
    Connect,

    /// <summary>Authenticating with the user name and password.</summary>
    Authenticate,

    /// <summary>Sending the envelope (MAIL FROM, RCPT TO) or the message (DATA).</summary>
    Send,
}
