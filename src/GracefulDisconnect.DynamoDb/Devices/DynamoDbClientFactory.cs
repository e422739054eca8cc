using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace GracefulDisconnect.DynamoDb;

/// <summary>
/// The client the store makes when the application gives none: the SDK's default credential chain, the region from
/// the options or the SDK's chain, and the SDK's standard retry mode (exponential backoff with jitter, which also
/// absorbs throttling) with the options' retry count.
/// </summary>
internal static class DynamoDbClientFactory
{
    public static AmazonDynamoDBClient Create(DynamoDbStoreOptions options)
    {
        var config = new AmazonDynamoDBConfig { RetryMode = RequestRetryMode.Standard, MaxErrorRetry = options.MaxErrorRetry };
        if (options.ServiceUrl is { } url)
        {
            // An explicit endpoint replaces the region's; the region then only signs the requests.
            config.ServiceURL = url.AbsoluteUri;
            if (options.Region is { } signingRegion)
            {
                config.AuthenticationRegion = signingRegion;
            }
        }
        else if (options.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return new AmazonDynamoDBClient(config);
    }
}
