using System.Net;
using MailKit.Security;

namespace GracefulDisconnect.Email;

/// <summary>Where mail goes and how the connection is protected: the one place that turns <see cref="SmtpSecurity"/> into MailKit's options.</summary>
internal static class SmtpEndpoint
{
    public const int ImplicitTlsPort = 465;
    public const int SubmissionPort = 587;

    /// <summary>Whether the host is this machine, where plain text never crosses a network.</summary>
    public static bool IsLoopback(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    public static bool MayBeUnencrypted(SmtpNotifierOptions options) => options.AllowUnencrypted || IsLoopback(options.Host);

    // MailKit's own Auto falls back to plain text whenever the server offers no STARTTLS, which an attacker on the
    // path can arrange by removing it from the EHLO reply; ours requires STARTTLS unless plain text is allowed anyway.
    public static SecureSocketOptions SocketOptions(SmtpNotifierOptions options) => options.Security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ when options.Port == ImplicitTlsPort => SecureSocketOptions.SslOnConnect,
        _ when MayBeUnencrypted(options) => SecureSocketOptions.StartTlsWhenAvailable,
        _ => SecureSocketOptions.StartTls,
    };

    public static string Describe(SmtpNotifierOptions options) => $"{options.Host}:{options.Port}";
}
