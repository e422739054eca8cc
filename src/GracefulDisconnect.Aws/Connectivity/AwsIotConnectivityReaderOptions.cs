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
}
