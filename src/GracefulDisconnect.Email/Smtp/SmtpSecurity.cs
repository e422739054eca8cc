namespace GracefulDisconnect.Email;

/// <summary>How the connection to the SMTP server is encrypted.</summary>
public enum SmtpSecurity
{
    /// <summary>
    /// Implicit TLS on port 465; elsewhere STARTTLS, required, except towards a loopback host or with
    /// <see cref="SmtpNotifierOptions.AllowUnencrypted"/>, where plain text is used when the server offers no STARTTLS.
    /// </summary>
    Auto,

    /// <summary>
    /// Plain text: mail and password can be read on the way. Only towards a loopback host (a local relay such as
    /// Postfix or a sidecar) or with <see cref="SmtpNotifierOptions.AllowUnencrypted"/>.
    /// </summary>
    None,

    /// <summary>Connect in plain text, then upgrade with STARTTLS; fail when the server does not offer it (submission, port 587). The default.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, "SMTPS", port 465).</summary>
    SslOnConnect,
}
