using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Email;

/// <summary>Checks the attribute rules of <see cref="SmtpNotifierOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class SmtpNotifierOptionsAttributeValidator : IValidateOptions<SmtpNotifierOptions>
{
}

/// <summary>
/// Validates <see cref="SmtpNotifierOptions"/> on start: every message names the key and how to fix it, and none
/// shows the password.
/// </summary>
internal sealed class SmtpNotifierOptionsValidator : IValidateOptions<SmtpNotifierOptions>
{
    private readonly SmtpNotifierOptionsAttributeValidator _attributes = new();

    public ValidateOptionsResult Validate(string? name, SmtpNotifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(_attributes.Validate(name, options));
        CheckHost(builder, options);
        CheckSecurity(builder, options);
        CheckCredentials(builder, options);
        CheckAddresses(builder, options);
        CheckText(builder, options);
        return builder.Build();
    }

    private static void CheckHost(ValidateOptionsResultBuilder builder, SmtpNotifierOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            builder.AddError("is required: set it to your SMTP server, for example smtp.office365.com or email-smtp.us-east-1.amazonaws.com", nameof(options.Host));
        }
        else if (Uri.CheckHostName(options.Host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            builder.AddError($"'{Printable(options.Host)}' is not a host name or IP address; give the server's name only, without scheme or port (the port goes in Port)", nameof(options.Host));
        }
    }

    private static void CheckSecurity(ValidateOptionsResultBuilder builder, SmtpNotifierOptions options)
    {
        if (!Enum.IsDefined(options.Security))
        {
            builder.AddError($"'{options.Security}' is not one of Auto, None, StartTls, SslOnConnect", nameof(options.Security));
            return;
        }

        if (options.Security == SmtpSecurity.None && !SmtpEndpoint.MayBeUnencrypted(options))
        {
            builder.AddError(
                $"None would send mail and password in plain text to {Printable(options.Host)}; use StartTls (port 587) or SslOnConnect (port 465), or set AllowUnencrypted = true for a relay on a network you trust",
                nameof(options.Security));
        }

        if (options.Security == SmtpSecurity.StartTls && options.Port == SmtpEndpoint.ImplicitTlsPort)
        {
            builder.AddError("StartTls does not work on port 465, which expects TLS from the first byte; use SslOnConnect (or Auto) on 465, or Port 587 with StartTls", nameof(options.Security));
        }

        if (options.Security == SmtpSecurity.SslOnConnect && options.Port == SmtpEndpoint.SubmissionPort)
        {
            builder.AddError("SslOnConnect does not work on port 587, which starts in plain text and upgrades; use StartTls on 587, or Port 465 with SslOnConnect", nameof(options.Security));
        }
    }

    private static void CheckCredentials(ValidateOptionsResultBuilder builder, SmtpNotifierOptions options)
    {
        var hasUser = !string.IsNullOrEmpty(options.UserName);
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        if (hasUser && !hasPassword)
        {
            builder.AddError("is empty while UserName is set; set both (for Gmail an app password) or neither", nameof(options.Password));
        }
        else if (hasPassword && !hasUser)
        {
            builder.AddError("is empty while Password is set; set both, or neither for a relay that needs no authentication", nameof(options.UserName));
        }

        if (hasUser && options.UserName!.Any(char.IsControl))
        {
            builder.AddError("contains a line break or another control character", nameof(options.UserName));
        }
    }

    private static void CheckAddresses(ValidateOptionsResultBuilder builder, SmtpNotifierOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.From))
        {
            builder.AddError("is required: the sender, for example alerts@example.com (the server may insist that it is your account's address)", nameof(options.From));
        }
        else if (!EmailAddress.TryParse(options.From, out _, out var problem))
        {
            builder.AddError($"'{Printable(options.From)}' {problem}", nameof(options.From));
        }

        if (options.To.Count == 0)
        {
            builder.AddError("needs at least one recipient, for example To:0 = ops@example.com in configuration or options.To.Add(\"ops@example.com\") in code", nameof(options.To));
        }

        CheckList(builder, options.To, nameof(options.To));
        CheckList(builder, options.Cc, nameof(options.Cc));
    }

    private static void CheckList(ValidateOptionsResultBuilder builder, IList<string> addresses, string key)
    {
        for (var i = 0; i < addresses.Count; i++)
        {
            if (!EmailAddress.TryParse(addresses[i], out _, out var problem))
            {
                builder.AddError($"'{Printable(addresses[i])}' {problem} (one address per entry)", $"{key}[{i}]");
            }
        }
    }

    private static void CheckText(ValidateOptionsResultBuilder builder, SmtpNotifierOptions options)
    {
        if (options.SubjectPrefix is not null && options.SubjectPrefix.Any(char.IsControl))
        {
            builder.AddError("must be one line: remove line breaks and other control characters", nameof(options.SubjectPrefix));
        }

        if (string.IsNullOrEmpty(options.MessageIdDomain)
            || options.MessageIdDomain.Length > 253
            || options.MessageIdDomain.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '.' && c != '-')
            || options.MessageIdDomain.StartsWith('.')
            || options.MessageIdDomain.EndsWith('.')
            || options.MessageIdDomain.Contains("..", StringComparison.Ordinal))
        {
            builder.AddError($"'{Printable(options.MessageIdDomain)}' is not a domain; use letters, digits, '-' and '.', for example alerts.example.com", nameof(options.MessageIdDomain));
        }
    }

    private static string Printable(string? text)
        => text is null ? string.Empty : new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
}
