using GracefulDisconnect;
using GracefulDisconnect.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Microsoft Teams workflow-webhook notifiers to GracefulDisconnect.</summary>
public static class TeamsNotifierBuilderExtensions
{
    /// <summary>
    /// Posts every notification to a Teams channel through a Power Automate workflow webhook (an Adaptive Card: subject, message, facts). Options are validated
    /// on start. Calling it again with the same name only adds configuration; use another name for a second channel.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options (at least <see cref="WebhookClientOptions.Url"/>).</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddTeamsNotifier(this GracefulDisconnectBuilder builder, Action<TeamsNotifierOptions> configure)
        => builder.AddTeamsNotifier(TeamsNotifierOptions.DefaultName, configure);

    /// <summary>Adds a Teams notifier with options bound from a configuration section (usually <see cref="TeamsNotifierOptions.SectionName"/>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddTeamsNotifier(this GracefulDisconnectBuilder builder, IConfiguration configuration)
        => builder.AddTeamsNotifier(TeamsNotifierOptions.DefaultName, configuration);

    /// <summary>Adds a named Teams notifier: one per channel name, each with its own URL, options and HTTP client.</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="name">The channel name shown in logs and errors (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>), for example <c>ops</c>.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddTeamsNotifier(this GracefulDisconnectBuilder builder, string name, Action<TeamsNotifierOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, name, options => options.Configure(configure));
    }

    /// <summary>Adds a named Teams notifier with options bound from a configuration section.</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="name">The channel name shown in logs and errors, for example <c>ops</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddTeamsNotifier(this GracefulDisconnectBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, name, options => options.Bind(configuration));
    }

    private static GracefulDisconnectBuilder Add(GracefulDisconnectBuilder builder, string name, Action<OptionsBuilder<TeamsNotifierOptions>> configure)
        => WebhookRegistration.Add<TeamsNotifierOptions, TeamsNotifierOptionsValidator>(
            builder,
            TeamsNotifier.Channel,
            name,
            configure,
            TeamsNotifier.Create);
}
