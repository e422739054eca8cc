namespace GracefulDisconnect.Mqtt;

/// <summary>
/// The telemetry each preset's devices publish on their own while they run, as signs of life. Only topics the device
/// itself publishes: a command topic (ESPHome's <c>.../command</c>, Shelly's <c>{thing}/rpc</c>) is written by others
/// and would keep a dead device looking alive.
/// </summary>
internal static class PresetHeartbeats
{
    public static IEnumerable<HeartbeatRule> For(MqttPreset preset) => preset switch
    {
        // Every TelePeriod (default 5 minutes): STATE always, SENSOR when the device has sensors.
        MqttPreset.Tasmota => [Rule("tasmota-telemetry", "tele/{thing}/STATE"), Rule("tasmota-telemetry", "tele/{thing}/SENSOR")],

        // <prefix>/<component type>/<object id>/state, on each state change or sensor update.
        MqttPreset.ESPHome => [Rule("esphome-state", "{thing}/+/+/state")],

        // The device's state topic is its friendly name itself, which may span levels (kitchen/lamp). Availability
        // (zigbee2mqtt/x/availability) is matched by the availability rule first; bridge topics name no device that
        // has an availability, so the engine ignores them.
        MqttPreset.Zigbee2Mqtt => [Rule("zigbee2mqtt-state", "zigbee2mqtt/{thing*}")],

        // Property values (homie/<id>/<node>/<property>) and, in Homie 3, $stats/<stat>.
        MqttPreset.Homie => [Rule("homie-property", "homie/{thing}/+/+")],

        // Gen2: RPC notifications (on by default) and per-component status (when "generic status update" is on).
        // Gen1 telemetry topics are per device type; add them with HeartbeatTopics.
        MqttPreset.Shelly => [Rule("shelly-gen2-events", "{thing}/events/rpc"), Rule("shelly-gen2-status", "{thing}/status/+")],

        // Home Assistant's telemetry topics are whatever each device's discovery says, and AWS presence events carry
        // no telemetry: HeartbeatTopics is the way for those.
        MqttPreset.HomeAssistant or MqttPreset.AwsIotPresence => [],
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown MQTT preset."),
    };

    private static HeartbeatRule Rule(string name, string topic) => new(name, TopicPattern.Parse(topic));
}
