using Amazon;
using Amazon.SQS;

namespace GracefulDisconnect.Samples.Worker;

/// <summary>
/// Creates the SQS client the worker polls with, resolving endpoint and region like the GracefulDisconnect
/// adapters do (option, else <c>AWS_ENDPOINT_URL_SQS</c> / <c>AWS_ENDPOINT_URL</c>; region from the queue URL,
/// else <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c>); credentials from the SDK's default chain.
/// </summary>
internal static class WorkerSqsClient
{
    public static AmazonSQSClient Create(WorkerOptions options, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var config = new AmazonSQSConfig();
        var region = NonEmpty(options.Region) ?? RegionOf(options.QueueUrl) ?? NonEmpty(environment("AWS_REGION")) ?? NonEmpty(environment("AWS_DEFAULT_REGION"));
        var endpoint = NonEmpty(options.Endpoint) ?? NonEmpty(environment("AWS_ENDPOINT_URL_SQS")) ?? NonEmpty(environment("AWS_ENDPOINT_URL"));
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region
                ?? throw new InvalidOperationException("An SQS endpoint is configured but no region: set Worker:Region or AWS_REGION.");
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

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
