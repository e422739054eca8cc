using GracefulDisconnect;
using GracefulDisconnect.Email;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the SMTP e-mail notifier to GracefulDisconnect.</summary>
public static class SmtpNotifierBuilderExtensions
{
    /// <summary>
    /// E-mails every notification through an SMTP server (MailKit; STARTTLS by default), with a text and an HTML
    /// body and a Message-ID derived from the notification, so a retried send can be deduplicated. Options are
    /// validated at start-up. Calling it again only adds configuration.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options (host, port, security, credentials, sender, recipients).</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSmtpNotifier(this GracefulDisconnectBuilder builder, Action<SmtpNotifierOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptionsWithValidateOnStart<SmtpNotifierOptions, SmtpNotifierOptionsValidator>().Configure(configure);
        return builder.AddNotifier<SmtpEmailNotifier>();
    }

    /// <summary>Adds the SMTP e-mail notifier with options bound from a configuration section (usually <see cref="SmtpNotifierOptions.SectionName"/>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSmtpNotifier(this GracefulDisconnectBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptionsWithValidateOnStart<SmtpNotifierOptions, SmtpNotifierOptionsValidator>().Bind(configuration);
        return builder.AddNotifier<SmtpEmailNotifier>();
    }
}
