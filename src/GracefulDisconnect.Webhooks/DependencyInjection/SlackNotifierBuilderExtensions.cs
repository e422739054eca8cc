using GracefulDisconnect;
using GracefulDisconnect.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Slack incoming-webhook notifiers to GracefulDisconnect.</summary>
public static class SlackNotifierBuilderExtensions
{
    /// <summary>
    /// Posts every notification to a Slack incoming webhook (Block Kit: subject, message, facts). Options are validated
    /// on start. Calling it again with the same name only adds configuration; use another name for a second channel.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options (at least <see cref="WebhookClientOptions.Url"/>).</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSlackNotifier(this GracefulDisconnectBuilder builder, Action<SlackNotifierOptions> configure)
        => builder.AddSlackNotifier(SlackNotifierOptions.DefaultName, configure);

    /// <summary>Adds a Slack notifier with options bound from a configuration section (usually <see cref="SlackNotifierOptions.SectionName"/>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSlackNotifier(this GracefulDisconnectBuilder builder, IConfiguration configuration)
        => builder.AddSlackNotifier(SlackNotifierOptions.DefaultName, configuration);

    /// <summary>Adds a named Slack notifier: one per channel name, each with its own URL, options and HTTP client.</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="name">The channel name shown in logs and errors (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>), for example <c>ops</c>.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSlackNotifier(this GracefulDisconnectBuilder builder, string name, Action<SlackNotifierOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, name, options => options.Configure(configure));
    }

    /// <summary>Adds a named Slack notifier with options bound from a configuration section.</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="name">The channel name shown in logs and errors, for example <c>ops</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSlackNotifier(this GracefulDisconnectBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, name, options => options.Bind(configuration));
    }

    private static GracefulDisconnectBuilder Add(GracefulDisconnectBuilder builder, string name, Action<OptionsBuilder<SlackNotifierOptions>> configure)
        => WebhookRegistration.Add<SlackNotifierOptions, SlackNotifierOptionsValidator>(
            builder,
            SlackNotifier.Channel,
            name,
            configure,
            SlackNotifier.Create);
}
