using System.ComponentModel.DataAnnotations;

namespace GracefulDisconnect.Aws;

/// <summary>
/// Options of the Device Shadow reader (<c>GetThingShadow</c> on the IoT Data Plane); bind them from
/// <see cref="SectionName"/>. Set <see cref="AwsClientOptions.Endpoint"/> to your account's
/// <c>https://&lt;prefix&gt;-ats.iot.&lt;region&gt;.amazonaws.com</c> (<c>aws iot describe-endpoint --endpoint-type iot:Data-ATS</c>).
/// </summary>
public sealed class AwsIotShadowReaderOptions : AwsClientOptions
{
    /// <summary>The configuration section these options are usually bound from.</summary>
    public const string SectionName = "GracefulDisconnect:IotShadow";

    /// <summary>
    /// The default of <see cref="AwsClientOptions.MaxRequestsPerSecond"/> for <c>GetThingShadow</c>: 400, the
    /// Device Shadow API's default account quota outside its largest regions (which allow more; check Service
    /// Quotas for your region and raise this with it).
    /// </summary>
    public const int DefaultMaxRequestsPerSecond = 400;

    /// <summary>Creates the options with their defaults.</summary>
    public AwsIotShadowReaderOptions() => MaxRequestsPerSecond = DefaultMaxRequestsPerSecond;

    /// <summary>A named shadow to read; empty for the classic (unnamed) shadow.</summary>
    public string? ShadowName { get; set; }

    /// <summary>
    /// The reported attribute that holds the connection state, for example <c>connected</c> (the default)
    /// or a nested one such as <c>connectivity.online</c>. Boolean, or a string listed in
    /// <see cref="ConnectedValues"/> / <see cref="DisconnectedValues"/>.
    /// </summary>
    [Required]
    public string ConnectedAttribute { get; set; } = "connected";

    /// <summary>String values of the attribute that mean connected, for example <c>online</c> (compared ignoring case).</summary>
    public IList<string> ConnectedValues { get; } = [];

    /// <summary>String values of the attribute that mean disconnected, for example <c>offline</c> (compared ignoring case).</summary>
    public IList<string> DisconnectedValues { get; } = [];
}
