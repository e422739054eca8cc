using GracefulDisconnect;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the AWS IoT Device Shadow reader to GracefulDisconnect.</summary>
public static class AwsIotShadowReaderBuilderExtensions
{
    /// <summary>
    /// Reads connection state from the AWS IoT Device Shadow (<c>GetThingShadow</c>), signed with SigV4 and
    /// retried on throttling and server errors. Calling it again only adds configuration.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options (endpoint, region, attribute, named shadow, retries).</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddAwsIotShadowReader(this GracefulDisconnectBuilder builder, Action<AwsIotShadowReaderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptionsWithValidateOnStart<AwsIotShadowReaderOptions, AwsIotShadowReaderOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddReader(builder);
    }

    /// <summary>Adds the Device Shadow reader with options bound from a configuration section (usually <see cref="AwsIotShadowReaderOptions.SectionName"/>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddAwsIotShadowReader(this GracefulDisconnectBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptionsWithValidateOnStart<AwsIotShadowReaderOptions, AwsIotShadowReaderOptionsValidator>().Bind(configuration);
        return AddReader(builder);
    }

    private static GracefulDisconnectBuilder AddReader(GracefulDisconnectBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(IotShadowReader)))
        {
            return builder;
        }

        services.TryAddKeyedSingleton(IotShadowReader.EndpointKey, (provider, _) => AwsServiceEndpoint.Resolve(
            provider.GetRequiredService<IOptions<AwsIotShadowReaderOptions>>().Value,
            IotShadowReader.EndpointVariable,
            IotShadowReader.DefaultEndpoint));
        AwsHttpClients.Add<AwsIotShadowReaderOptions>(
            services,
            IotShadowReader.HttpClientName,
            IotShadowReader.SigningName,
            IotShadowReader.EndpointKey,
            AwsRestJson.IsRetryableAsync,
            "GetThingShadow");
        services.TryAddSingleton<IotShadowReader>();
        services.Replace(ServiceDescriptor.Singleton<IShadowReader>(provider => provider.GetRequiredService<IotShadowReader>()));
        return builder;
    }
}
