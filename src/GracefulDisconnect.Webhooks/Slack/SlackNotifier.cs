using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks;

/// <summary>Posts each notification to a Slack incoming webhook as Block Kit.</summary>
internal static class SlackNotifier
{
    public const string Channel = "Slack";

    public static INotifier Create(IServiceProvider provider, string name)
        => new ChatCardNotifier<SlackNotifierOptions>(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IOptionsMonitor<SlackNotifierOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>(),
            Channel,
            name,
            static (DeviceNotification notification, SlackNotifierOptions options, out bool truncated) => SlackMessage.Build(notification, options.MaxListedThings, out truncated));
}
