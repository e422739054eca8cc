using GracefulDisconnect;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the AWS IoT fleet index client (<c>SearchIndex</c>) to GracefulDisconnect.</summary>
public static class AwsIotFleetIndexBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="IIotFleetIndex"/>: searches of the AWS IoT fleet index, signed with SigV4, kept under
    /// the API's quota, retried on throttling and server errors. Calling it again only adds configuration.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options (endpoint, region, index, page size, rate, retries).</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddAwsIotFleetIndex(this GracefulDisconnectBuilder builder, Action<AwsIotFleetIndexOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptionsWithValidateOnStart<AwsIotFleetIndexOptions, AwsIotFleetIndexOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddIndex(builder);
    }

    /// <summary>Adds the fleet index client with options bound from a configuration section (usually <see cref="AwsIotFleetIndexOptions.SectionName"/>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddAwsIotFleetIndex(this GracefulDisconnectBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptionsWithValidateOnStart<AwsIotFleetIndexOptions, AwsIotFleetIndexOptionsValidator>().Bind(configuration);
        return AddIndex(builder);
    }

    private static GracefulDisconnectBuilder AddIndex(GracefulDisconnectBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(IIotFleetIndex)))
        {
            return builder;
        }

        services.TryAddKeyedSingleton(IotFleetIndex.EndpointKey, (provider, _) => AwsServiceEndpoint.Resolve(
            provider.GetRequiredService<IOptions<AwsIotFleetIndexOptions>>().Value,
            IotControlPlane.EndpointVariable,
            IotControlPlane.DefaultEndpoint));
        AwsHttpClients.Add<AwsIotFleetIndexOptions>(
            services,
            IotFleetIndex.HttpClientName,
            IotControlPlane.SigningName,
            IotFleetIndex.EndpointKey,
            AwsRestJson.IsRetryableAsync,
            IotFleetIndex.Operation);
        services.TryAddSingleton<IIotFleetIndex, IotFleetIndex>();
        return builder;
    }
}
