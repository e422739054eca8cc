using GracefulDisconnect;
using GracefulDisconnect.Mqtt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the MQTT event source to the GracefulDisconnect engine.</summary>
public static class MqttSourceGracefulDisconnectBuilderExtensions
{
    /// <summary>
    /// Subscribes to an MQTT broker while the host runs and hands availability messages to the engine's
    /// <see cref="IConnectionEventSink"/> (which must be registered), acknowledging each QoS 1 message only once the
    /// sink has recorded it. Options are validated when the host starts. The source's connection state is
    /// <see cref="IMqttSourceStatus"/>.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options; <see cref="MqttSourceOptions.Broker"/> and a preset or mapping are required.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddMqttSource(this GracefulDisconnectBuilder builder, Action<MqttSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptionsWithValidateOnStart<MqttSourceOptions, MqttSourceOptionsValidator>().Configure(configure);
        return AddSource(builder);
    }

    /// <summary>Adds the MQTT source with options bound from a configuration section (usually <c>GracefulDisconnect:Mqtt</c>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddMqttSource(this GracefulDisconnectBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptionsWithValidateOnStart<MqttSourceOptions, MqttSourceOptionsValidator>().Bind(configuration);
        return AddSource(builder);
    }

    private static GracefulDisconnectBuilder AddSource(GracefulDisconnectBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        // One memory per process, outliving a stop and start of the source, so a retained repeat is still known as one.
        services.TryAddSingleton(static provider => new RetainedStateMemory(provider.GetRequiredService<IOptions<MqttSourceOptions>>().Value.RetainedMemoryCapacity));
        services.TryAddSingleton(static provider => ActivatorUtilities.CreateInstance<MqttEventSource>(
            provider,
            provider.GetService<IConnectionEventSink>() ?? throw new InvalidOperationException(
                "The MQTT source hands its events to an IConnectionEventSink, and none is registered: add the engine's store (which records events durably) or register your own IConnectionEventSink.")));
        services.TryAddSingleton<IMqttSourceStatus>(static provider => provider.GetRequiredService<MqttEventSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MqttEventSource>(static provider => provider.GetRequiredService<MqttEventSource>()));
        return builder;
    }
}
