using GracefulDisconnect;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the AWS IoT connectivity reader (<c>GetThingConnectivityData</c>) to GracefulDisconnect.</summary>
public static class AwsIotConnectivityReaderBuilderExtensions
{
    /// <summary>
    /// Reads connection state from the AWS IoT broker's own view (<c>GetThingConnectivityData</c>; fleet indexing
    /// with connectivity indexing on, client id = thing name) instead of a Device Shadow. Signed with SigV4, kept
    /// under the API's quota, retried on throttling and server errors. It replaces any other <see cref="IShadowReader"/>.
    /// Calling it again only adds configuration.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options (endpoint, region, rate, retries).</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddAwsIotConnectivityReader(this GracefulDisconnectBuilder builder, Action<AwsIotConnectivityReaderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptionsWithValidateOnStart<AwsIotConnectivityReaderOptions, AwsIotConnectivityReaderOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddReader(builder);
    }

    /// <summary>Adds the connectivity reader with options bound from a configuration section (usually <see cref="AwsIotConnectivityReaderOptions.SectionName"/>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddAwsIotConnectivityReader(this GracefulDisconnectBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptionsWithValidateOnStart<AwsIotConnectivityReaderOptions, AwsIotConnectivityReaderOptionsValidator>().Bind(configuration);
        return AddReader(builder);
    }

    private static GracefulDisconnectBuilder AddReader(GracefulDisconnectBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(IotConnectivityReader)))
        {
            return builder;
        }

        services.TryAddKeyedSingleton(IotConnectivityReader.EndpointKey, (provider, _) => AwsServiceEndpoint.Resolve(
            provider.GetRequiredService<IOptions<AwsIotConnectivityReaderOptions>>().Value,
            IotControlPlane.EndpointVariable,
            IotControlPlane.DefaultEndpoint));
        AwsHttpClients.Add<AwsIotConnectivityReaderOptions>(
            services,
            IotConnectivityReader.HttpClientName,
            IotControlPlane.SigningName,
            IotConnectivityReader.EndpointKey,
            AwsRestJson.IsRetryableAsync,
            IotConnectivityReader.Operation);
        services.TryAddSingleton<IotConnectivityReader>();
        services.Replace(ServiceDescriptor.Singleton<IShadowReader>(provider => provider.GetRequiredService<IotConnectivityReader>()));
        return builder;
    }
}
