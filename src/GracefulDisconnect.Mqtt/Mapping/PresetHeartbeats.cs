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

        // The device's state topic is its friendly name itself. One level only: zigbee2mqtt/+/+ would also match
        // zigbee2mqtt/x/availability, which the broker would then deliver twice (once per subscription). Names with '/'
        // (kitchen/lamp) need a HeartbeatTopics entry. Bridge topics (zigbee2mqtt/bridge/...) are deeper still.
        MqttPreset.Zigbee2Mqtt => [Rule("zigbee2mqtt-state", "zigbee2mqtt/{thing}")],

        // Property values (homie/<id>/<node>/<property>) and, in Homie 3, $stats/<stat>.
        MqttPreset.Homie => [Rule("homie-property", "homie/{thing}/+/+")],

        // Gen2: RPC notifications (NotifyStatus, NotifyEvent; on by default). Not {thing}/status/+ (off by default):
        // it would also match Gen1's shellies/status/online, an availability topic. Gen1 telemetry topics are per
        // device type; add them with HeartbeatTopics.
        MqttPreset.Shelly => [Rule("shelly-gen2-events", "{thing}/events/rpc")],

        // Home Assistant's telemetry topics are whatever each device's discovery says, and AWS presence events carry
        // no telemetry: HeartbeatTopics is the way for those.
        MqttPreset.HomeAssistant or MqttPreset.AwsIotPresence => [],
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown MQTT preset."),
    };

    private static HeartbeatRule Rule(string name, string topic) => new(name, TopicPattern.Parse(topic));
}
