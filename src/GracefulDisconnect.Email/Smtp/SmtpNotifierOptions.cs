using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace GracefulDisconnect.Email;

/// <summary>Options of the SMTP e-mail notifier; bind them from <see cref="SectionName"/>.</summary>
public sealed class SmtpNotifierOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:Smtp";

    /// <summary>The SMTP server, for example <c>smtp.office365.com</c> (required).</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>The server's port. Default 587 (submission with STARTTLS); 465 for implicit TLS, 25 for a local relay.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>How the connection is encrypted. Default <see cref="SmtpSecurity.StartTls"/>.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>
    /// Allows <see cref="SmtpSecurity.None"/> (and a plain-text fallback of <see cref="SmtpSecurity.Auto"/>) towards a
    /// host that is not loopback, for a relay on a network you trust. Default false.
    /// </summary>
    public bool AllowUnencrypted { get; set; }

    /// <summary>The user name to authenticate with; leave empty for a relay that needs no authentication.</summary>
    public string? UserName { get; set; }

    /// <summary>The password (or app password, API key) for <see cref="UserName"/>. Never logged, never in an exception, not in <see cref="ToString"/>.</summary>
    public string? Password { get; set; }

    /// <summary>The sender, <c>alerts@example.com</c> or <c>"Fleet alerts" &lt;alerts@example.com&gt;</c> (required).</summary>
    public string From { get; set; } = string.Empty;

    /// <summary>The recipients, one address each (at least one).</summary>
    public IList<string> To { get; } = [];

    /// <summary>Copy recipients, one address each (optional).</summary>
    public IList<string> Cc { get; } = [];

    /// <summary>Put before every subject, for example <c>[fleet]</c> (a space is added). Optional; one line.</summary>
    public string? SubjectPrefix { get; set; }

    /// <summary>How long connecting and each SMTP command may take. Default 30 seconds; 100 ms to 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The right-hand side of the <c>Message-ID</c> built from each notification id. Default <c>gracefuldisconnect</c>;
    /// give each deployment its own (<c>prod.example.com</c>) when several send the same notifications to one mailbox
    /// and should not be taken for duplicates of each other.
    /// </summary>
    public string MessageIdDomain { get; set; } = "gracefuldisconnect";

    /// <summary>Describes the options for diagnostics, with the password left out.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => string.Create(
            CultureInfo.InvariantCulture,
            $"SMTP {Host}:{Port} ({Security}{(AllowUnencrypted ? ", unencrypted allowed" : string.Empty)}), user {(string.IsNullOrEmpty(UserName) ? "(none)" : UserName)}, password {(string.IsNullOrEmpty(Password) ? "(none)" : "(set)")}, from {From} to {string.Join(", ", To)}{(Cc.Count == 0 ? string.Empty : " cc " + string.Join(", ", Cc))}");
}
