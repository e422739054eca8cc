using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Webhooks;

/// <summary>Posts each notification to a Teams workflow webhook as an Adaptive Card.</summary>
internal static class TeamsNotifier
{
    public const string Channel = "Teams";

    public static INotifier Create(IServiceProvider provider, string name)
        => new ChatCardNotifier<TeamsNotifierOptions>(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IOptionsMonitor<TeamsNotifierOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>(),
            Channel,
            name,
            static (DeviceNotification notification, TeamsNotifierOptions options, out bool truncated) => TeamsCard.Build(notification, options.MaxListedThings, out truncated));
}
