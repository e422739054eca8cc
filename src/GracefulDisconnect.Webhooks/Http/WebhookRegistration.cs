using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks;

/// <summary>
/// Adds one named channel: named options validated on start, its own HTTP client and its own notifier. A channel
/// added again under the same kind and name only gets more configuration.
/// </summary>
internal static class WebhookRegistration
{
    public const int MaxNameLength = 64;

    public static GracefulDisconnectBuilder Add<TOptions, TValidator>(
        GracefulDisconnectBuilder builder,
        string channel,
        string name,
        Action<OptionsBuilder<TOptions>> configure,
        Func<IServiceProvider, string, INotifier> create)
        where TOptions : WebhookClientOptions
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckName(name);
        var services = builder.Services;
        configure(services.AddOptionsWithValidateOnStart<TOptions, TValidator>(name));

        var registration = new WebhookChannelRegistration(channel, name);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(WebhookChannelRegistration) && Equals(descriptor.ImplementationInstance, registration)))
        {
            return builder;
        }

        services.AddSingleton(registration);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        WebhookHttpClients.Add<TOptions>(services, channel, name);
        services.AddSingleton(provider => create(provider, name));
        return builder;
    }

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException(
                $"'{SafeText.OneLine(SafeText.Truncate(name, MaxNameLength + 1))}' is not a channel name: use 1 to {MaxNameLength} ASCII letters, digits, '-', '_' or '.' (for example 'ops' or 'slack-night-shift'). It names the channel in logs and errors; the URL goes in the options.",
                nameof(name));
        }
    }
}

/// <summary>Marks a channel (kind and name) as added, so adding it again only configures it.</summary>
/// <param name="Channel">The kind: Slack, Teams or Webhook.</param>
/// <param name="Name">The configured name.</param>
internal sealed record WebhookChannelRegistration(string Channel, string Name);
