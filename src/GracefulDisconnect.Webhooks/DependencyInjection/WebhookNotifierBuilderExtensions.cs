using GracefulDisconnect;
using GracefulDisconnect.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds generic signed JSON webhook notifiers to GracefulDisconnect.</summary>
public static class WebhookNotifierBuilderExtensions
{
    /// <summary>
    /// Posts every notification to an HTTP endpoint of your own as JSON signed with HMAC-SHA256 (see <see cref="WebhookSignature"/>). Options are validated
    /// on start. Calling it again with the same name only adds configuration; use another name for a second channel.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options (at least <see cref="WebhookClientOptions.Url"/> and <see cref="WebhookNotifierOptions.Secret"/>).</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddWebhookNotifier(this GracefulDisconnectBuilder builder, Action<WebhookNotifierOptions> configure)
        => builder.AddWebhookNotifier(WebhookNotifierOptions.DefaultName, configure);

    /// <summary>Adds a webhook notifier with options bound from a configuration section (usually <see cref="WebhookNotifierOptions.SectionName"/>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddWebhookNotifier(this GracefulDisconnectBuilder builder, IConfiguration configuration)
        => builder.AddWebhookNotifier(WebhookNotifierOptions.DefaultName, configuration);

    /// <summary>Adds a named webhook notifier: one per channel name, each with its own URL, options and HTTP client.</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="name">The channel name shown in logs and errors (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>), for example <c>ops</c>.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddWebhookNotifier(this GracefulDisconnectBuilder builder, string name, Action<WebhookNotifierOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, name, options => options.Configure(configure));
    }

    /// <summary>Adds a named webhook notifier with options bound from a configuration section.</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="name">The channel name shown in logs and errors, for example <c>ops</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddWebhookNotifier(this GracefulDisconnectBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(builder, name, options => options.Bind(configuration));
    }

    private static GracefulDisconnectBuilder Add(GracefulDisconnectBuilder builder, string name, Action<OptionsBuilder<WebhookNotifierOptions>> configure)
        => WebhookRegistration.Add<WebhookNotifierOptions, WebhookNotifierOptionsValidator>(
            builder,
            WebhookNotifier.Channel,
            name,
            configure,
            static (provider, name) => new WebhookNotifier(
                provider.GetRequiredService<IHttpClientFactory>(),
                provider.GetRequiredService<IOptionsMonitor<WebhookNotifierOptions>>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILoggerFactory>(),
                name));
}
