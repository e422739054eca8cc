using System.ComponentModel.DataAnnotations;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Options of the fleet index client (<c>SearchIndex</c> on the AWS IoT control plane); bind them from
/// <see cref="SectionName"/>. Searching connectivity needs fleet indexing with <c>thingConnectivityIndexingMode</c>
/// <c>STATUS</c>. The endpoint defaults to <c>AWS_ENDPOINT_URL_IOT</c>, else <c>AWS_ENDPOINT_URL</c>, else
/// <c>https://iot.&lt;region&gt;.amazonaws.com</c>.
/// </summary>
public sealed class AwsIotFleetIndexOptions : AwsClientOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:IotFleetIndex";

    /// <summary>
    /// The default of <see cref="AwsClientOptions.MaxRequestsPerSecond"/> for <c>SearchIndex</c>: 10, a cautious
    /// figure (check the fleet indexing quotas of your region in Service Quotas and set it from them).
    /// </summary>
    public const int DefaultMaxRequestsPerSecond = 10;

    /// <summary>Creates the options with their defaults.</summary>
    public AwsIotFleetIndexOptions() => MaxRequestsPerSecond = DefaultMaxRequestsPerSecond;

    /// <summary>The index to search. Default <c>AWS_Things</c>, the index of all things.</summary>
    [Required]
    public string IndexName { get; set; } = "AWS_Things";

    /// <summary>Things per page (<c>maxResults</c>), also how many things one batched read asks about. Default 100, the service's maximum.</summary>
    [Range(1, 100)]
    public int PageSize { get; set; } = 100;
}
