using GracefulDisconnect;
using GracefulDisconnect.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Amazon SNS notifier to GracefulDisconnect.</summary>
public static class SnsNotifierBuilderExtensions
{
    /// <summary>
    /// Publishes every offline notification to an SNS topic (signed with SigV4, retried on throttling and
    /// server errors), and registers <see cref="ISnsPublisher"/> for callers that want the message id.
    /// Calling it again only adds configuration.
    /// </summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configure">Configures the options (topic ARN, endpoint, region, retries).</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSnsNotifier(this GracefulDisconnectBuilder builder, Action<SnsNotifierOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptionsWithValidateOnStart<SnsNotifierOptions, SnsNotifierOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddNotifier(builder);
    }

    /// <summary>Adds the SNS notifier with options bound from a configuration section (usually <see cref="SnsNotifierOptions.SectionName"/>).</summary>
    /// <param name="builder">The builder from <c>AddGracefulDisconnect</c>.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static GracefulDisconnectBuilder AddSnsNotifier(this GracefulDisconnectBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptionsWithValidateOnStart<SnsNotifierOptions, SnsNotifierOptionsValidator>().Bind(configuration);
        return AddNotifier(builder);
    }

    private static GracefulDisconnectBuilder AddNotifier(GracefulDisconnectBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(ISnsPublisher)))
        {
            return builder;
        }

        services.TryAddKeyedSingleton(SnsPublisher.EndpointKey, (provider, _) =>
        {
            var options = provider.GetRequiredService<IOptions<SnsNotifierOptions>>().Value;
            return AwsServiceEndpoint.Resolve(options, SnsPublisher.EndpointVariable, SnsPublisher.DefaultEndpoint, SnsTopicArn.Parse(options.TopicArn).Region);
        });
        AwsHttpClients.Add<SnsNotifierOptions>(services, SnsPublisher.HttpClientName, SnsPublisher.SigningName, SnsPublisher.EndpointKey, SnsPublisher.IsRetryableAsync, "Publish");
        services.TryAddSingleton<ISnsPublisher, SnsPublisher>();
        builder.AddNotifier<SnsNotifier>();
        return builder;
    }
}
