using Amazon;
using Amazon.SQS;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Creates the <see cref="IAmazonSQS"/> this package uses when the application registered none: endpoint
/// and region resolved like the other adapters, then left to the SDK (its retries, its credential chain).
/// </summary>
internal static class SqsClientFactory
{
    public const string EndpointVariable = "AWS_ENDPOINT_URL_SQS";

    public static AmazonSQSClient Create(SqsSchedulerOptions options, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var config = new AmazonSQSConfig();
        var region = options.Region ?? RegionOf(options.QueueUrl);
        if (AwsServiceEndpoint.ResolveUri(options.Endpoint, EndpointVariable, environment) is { } endpoint)
        {
            config.ServiceURL = endpoint.AbsoluteUri;
            config.AuthenticationRegion = AwsServiceEndpoint.ResolveRegion(region, environment);
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return options.Credentials is { } credentials ? new AmazonSQSClient(credentials, config) : new AmazonSQSClient(config);
    }

    /// <summary>The region of a regional queue URL (<c>https://sqs.{region}.amazonaws.com/...</c>), else null.</summary>
    internal static string? RegionOf(string queueUrl)
    {
        if (!Uri.TryCreate(queueUrl, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var labels = uri.Host.Split('.');
        return labels.Length >= 4 && labels[0] == "sqs" && labels[2] == "amazonaws" ? labels[1] : null;
    }
}
