using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Tests.Support;

internal static class TestOptions
{
    public static IOptions<GracefulDisconnectOptions> Create(Action<GracefulDisconnectOptions>? configure = null)
    {
        var options = new GracefulDisconnectOptions();
        configure?.Invoke(options);
        return Options.Create(options);
    }
}
