using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Webhooks.Tests.Support;

/// <summary>Builds the engine with the given channels, logging everything at Trace into a capturing provider.</summary>
public static class TestHost
{
    public static ServiceProvider Build(Action<GracefulDisconnectBuilder> configure, CapturingLoggerProvider? logs = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        configure(services.AddGracefulDisconnect(options =>
        {
            options.GracePeriod = TimeSpan.FromMinutes(5);
        }).UseShadowReader<OfflineReader>());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Retries that cost no real time to speak of.</summary>
    public static void FastRetries(WebhookClientOptions options, int attempts = 2)
    {
        options.MaxRetryAttempts = attempts;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        options.MaxRetryDelay = TimeSpan.FromSeconds(30);
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
    }

    /// <summary>Every device is offline, since <see cref="Notifications.OfflineSince"/>.</summary>
    public sealed class OfflineReader : IShadowReader
    {
        public ValueTask<ConnectionSnapshot?> ReadAsync(string thingName, CancellationToken cancellationToken = default)
            => ValueTask.FromResult<ConnectionSnapshot?>(new ConnectionSnapshot(false, Notifications.OfflineSince));
    }

    /// <summary>What a host does at start: validates every options instance registered with ValidateOnStart.</summary>
    public static Task ValidateOnStartAsync(this IServiceProvider provider)
    {
        provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        return Task.CompletedTask;
    }

    public static INotifier Notifier(this IServiceProvider provider) => Assert.Single(provider.GetServices<INotifier>());

    /// <summary>A scheduler's wake for the device, then one delivery pass of the outbox: what a host does for a due re-check.</summary>
    public static async Task<RecheckOutcome> RecheckAndDeliverAsync(this IServiceProvider provider, DisconnectTrigger trigger)
    {
        var outcome = await provider.GetRequiredService<IRecheckHandler>().RecheckAsync(trigger);
        await provider.GetRequiredService<DeviceEngine>().DeliverAsync();
        return outcome;
    }
}
