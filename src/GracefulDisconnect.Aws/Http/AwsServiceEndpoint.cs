using Amazon;
using Amazon.Runtime;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Where requests for one AWS service go and which region they are signed for, resolved once from
/// options and the environment the way the AWS SDKs and CLI do it.
/// </summary>
/// <param name="Uri">The endpoint, without a trailing slash.</param>
/// <param name="Region">The signing region.</param>
internal sealed record AwsServiceEndpoint(Uri Uri, string Region)
{
    private const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";
    private const string IgnoreEndpointsVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    /// <summary>Resolves the endpoint: option, else the service's variable, else <c>AWS_ENDPOINT_URL</c>, else <paramref name="regionalDefault"/>.</summary>
    /// <param name="options">The adapter options.</param>
    /// <param name="serviceEndpointVariable">The service-specific variable, for example <c>AWS_ENDPOINT_URL_SNS</c>.</param>
    /// <param name="regionalDefault">Builds the public endpoint from the region and the partition's DNS suffix.</param>
    /// <param name="preferredRegion">A region to use before the environment's, for example the one in an SNS topic ARN.</param>
    /// <param name="environment">Reads environment variables (tests pass their own).</param>
    public static AwsServiceEndpoint Resolve(
        AwsClientOptions options,
        string serviceEndpointVariable,
        Func<string, string, Uri> regionalDefault,
        string? preferredRegion = null,
        Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var region = ResolveRegion(options.Region ?? preferredRegion, environment);
        return new AwsServiceEndpoint(ResolveUri(options.Endpoint, serviceEndpointVariable, environment) ?? DefaultUri(region, regionalDefault), region);
    }

    /// <summary>The region: configured, else <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>, else the SDK's fallback (profile, instance metadata).</summary>
    internal static string ResolveRegion(string? configured, Func<string, string?> environment)
    {
        var region = NonEmpty(configured) ?? NonEmpty(environment("AWS_REGION")) ?? NonEmpty(environment("AWS_DEFAULT_REGION")) ?? FromSdkFallback();
        return region ?? throw new InvalidOperationException(
            "No AWS region is configured: set the adapter's Region option, the AWS_REGION environment variable, or a region in the AWS config profile.");
    }

    /// <summary>The endpoint from the option or the environment, or null when neither names one.</summary>
    internal static Uri? ResolveUri(string? configured, string serviceVariable, Func<string, string?> environment)
    {
        if (NonEmpty(configured) is { } option)
        {
            return Parse(option, "the Endpoint option");
        }

        if (string.Equals(NonEmpty(environment(IgnoreEndpointsVariable)), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (NonEmpty(environment(serviceVariable)) is { } service)
        {
            return Parse(service, serviceVariable);
        }

        return NonEmpty(environment(GlobalEndpointVariable)) is { } global ? Parse(global, GlobalEndpointVariable) : null;
    }

    private static Uri DefaultUri(string region, Func<string, string, Uri> regionalDefault)
    {
        var dnsSuffix = RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix;
        return regionalDefault(region, string.IsNullOrEmpty(dnsSuffix) ? "amazonaws.com" : dnsSuffix);
    }

    /// <summary>Whether <paramref name="text"/> is an absolute http or https URL without query or fragment.</summary>
    internal static bool IsValidEndpoint(string text, out Uri? uri)
        => Uri.TryCreate(text.Trim(), UriKind.Absolute, out uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    private static Uri Parse(string text, string source)
        => IsValidEndpoint(text, out var uri)
            ? new Uri(uri!.GetLeftPart(UriPartial.Path).TrimEnd('/'))
            : throw new InvalidOperationException($"{source} must be an absolute http or https URL such as https://example.amazonaws.com, not '{text}'.");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // The SDK also reads the shared config profile (and on EC2 the instance metadata), which we do not re-implement.
    private static string? FromSdkFallback()
    {
        try
        {
            return FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        }
        catch (AmazonClientException)
        {
            return null;
        }
    }
}
