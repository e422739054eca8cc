using Microsoft.Extensions.DependencyInjection;

namespace GracefulDisconnect.Tests.Alerts;

internal static class AlertTestExtensions
{
    public static LiveAlerts GetAlerts(this IServiceProvider services) => services.GetRequiredService<LiveAlerts>();
}
