using GracefulDisconnect;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the fleet index sweep, which hands the engine the disconnects that never reached it.</summary>
public static class FleetIndexSweepBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="FleetIndexSweep"/> and runs it every <see cref="FleetIndexSweepOptions.Interval"/> while the host
    /// runs. Needs the fleet index (<c>AddAwsIotFleetIndex</c>, with connectivity indexing on) and the device engine;
    /// without a host, resolve <see cref="FleetIndexSweep"/> and call <see cref="FleetIndexSweep.SweepAsync"/> yourself
    /// (a Lambda function on a schedule, say). Options are validated on start.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options, if needed.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddFleetIndexSweep(this GracefulDisconnectBuilder builder, Action<FleetIndexSweepOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptionsWithValidateOnStart<FleetIndexSweepOptions, FleetIndexSweepOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddSweep(builder);
    }

    /// <summary>Adds the sweep with options bound from a configuration section (usually <c>GracefulDisconnect:Sweep</c>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddFleetIndexSweep(this GracefulDisconnectBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptionsWithValidateOnStart<FleetIndexSweepOptions, FleetIndexSweepOptionsValidator>().Bind(configuration);
        return AddSweep(builder);
    }

    private static GracefulDisconnectBuilder AddSweep(GracefulDisconnectBuilder builder)
    {
        builder.Services.TryAddSingleton<FleetIndexSweep>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FleetIndexSweepService>());
        return builder;
    }
}
