namespace GracefulDisconnect.Mqtt;

/// <summary>
/// An ecosystem's availability convention: which topics carry a device's online/offline state and which payloads
/// mean what. Several presets can be used at once.
/// </summary>
public enum MqttPreset
{
    /// <summary>Tasmota: <c>tele/&lt;device&gt;/LWT</c>, <c>Online</c> / <c>Offline</c>.</summary>
    Tasmota,

    /// <summary>ESPHome: <c>&lt;node&gt;/status</c>, <c>online</c> / <c>offline</c>.</summary>
    ESPHome,

    /// <summary>
    /// Zigbee2MQTT: <c>zigbee2mqtt/&lt;name&gt;/availability</c>, <c>{"state":"online"}</c> / <c>{"state":"offline"}</c>
    /// (2.x) or plain <c>online</c> / <c>offline</c> (1.x legacy).
    /// </summary>
    Zigbee2Mqtt,

    /// <summary>Homie 3/4: <c>homie/&lt;id&gt;/$state</c>, <c>ready</c> up, <c>lost</c> / <c>disconnected</c> down; <c>init</c>, <c>sleeping</c>, <c>alert</c> ignored.</summary>
    Homie,

    /// <summary>Shelly: Gen1 <c>shellies/&lt;id&gt;/online</c> and Gen2 <c>&lt;prefix&gt;/online</c>, <c>true</c> / <c>false</c>.</summary>
    Shelly,

    /// <summary>Home Assistant availability topics; topic and payloads in <see cref="MqttSourceOptions.HomeAssistant"/>.</summary>
    HomeAssistant,

    /// <summary>
    /// AWS IoT Core presence events: <c>$aws/events/presence/connected/&lt;clientId&gt;</c> and <c>.../disconnected/&lt;clientId&gt;</c>,
    /// JSON lifecycle events whose <c>timestamp</c> (epoch ms) and <c>versionNumber</c> are kept.
    /// </summary>
    AwsIotPresence,
}
