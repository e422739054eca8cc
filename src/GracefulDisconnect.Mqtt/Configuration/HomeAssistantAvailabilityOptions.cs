namespace GracefulDisconnect.Mqtt;

/// <summary>
/// The Home Assistant preset: an entity's <c>availability_topic</c> with its <c>payload_available</c> and
/// <c>payload_not_available</c>. Home Assistant has no fixed topic, so give the one your devices use.
/// </summary>
public sealed class HomeAssistantAvailabilityOptions
{
    /// <summary>The availability topic with <c>{thing}</c> at the device's segment. Default <c>{thing}/availability</c>.</summary>
    public string Topic { get; set; } = "{thing}/availability";

    /// <summary>Home Assistant's <c>payload_available</c>. Default <c>online</c>.</summary>
    public string PayloadAvailable { get; set; } = "online";

    /// <summary>Home Assistant's <c>payload_not_available</c>. Default <c>offline</c>.</summary>
    public string PayloadNotAvailable { get; set; } = "offline";
}
