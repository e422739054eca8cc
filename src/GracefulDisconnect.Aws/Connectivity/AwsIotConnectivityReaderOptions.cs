namespace GracefulDisconnect.Aws;

/// <summary>
/// Options of the connectivity reader (<c>GetThingConnectivityData</c> on the AWS IoT control plane: the broker's
/// own view of whether a thing is connected); bind them from <see cref="SectionName"/>. It needs fleet indexing
/// with connectivity indexing on (<c>thingConnectivityIndexingMode</c> <c>STATUS</c>) and devices whose MQTT
/// client id is their thing name. The endpoint defaults to <c>AWS_ENDPOINT_URL_IOT</c>, else <c>AWS_ENDPOINT_URL</c>,
/// else <c>https://iot.&lt;region&gt;.amazonaws.com</c>.
/// </summary>
public sealed class AwsIotConnectivityReaderOptions : AwsClientOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:IotConnectivity";

    /// <summary>The default of <see cref="AwsClientOptions.MaxRequestsPerSecond"/>: 350, <c>GetThingConnectivityData</c>'s default account quota.</summary>
    public const int DefaultMaxRequestsPerSecond = 350;

    /// <summary>Creates the options with their defaults.</summary>
    public AwsIotConnectivityReaderOptions() => MaxRequestsPerSecond = DefaultMaxRequestsPerSecond;

    /// <summary>
    /// When at least this many re-checks are due together, confirm them through the fleet index (<c>SearchIndex</c>, a
    /// hundred things a request: <c>AddAwsIotFleetIndex</c> is then required) instead of one
    /// <c>GetThingConnectivityData</c> each; <see langword="null"/> (the default) for single reads only. The index is
    /// updated asynchronously (seconds behind the broker), so a device back within that lag may still read as
    /// offline; set it for storms, where one read each would take close to an hour at the default quota. 2 to 100,000.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(2, 100_000)]
    public int? ConfirmInPagesFrom { get; set; }
}
