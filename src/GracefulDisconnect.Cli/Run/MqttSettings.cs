using GracefulDisconnect.Mqtt;

namespace GracefulDisconnect.Cli.Run;

/// <summary>The MQTT source <c>run --mqtt</c> was asked for: the broker, the presets, and the generic mapping if any.</summary>
internal sealed record MqttSettings(string Broker, IReadOnlyList<MqttPreset> Presets, MqttTopicMapping? Mapping)
{
    /// <summary>The client id, when not the library's default.</summary>
    public string? ClientId { get; init; }

    /// <summary><c>--heartbeat-topic</c>: sign-of-life topics, each once.</summary>
    public IReadOnlyList<string> HeartbeatTopics { get; init; } = [];

    // Records print every member; the broker URI may hold a password.
    public override string ToString() => $"MqttSettings {{ Presets = {string.Join(", ", Presets)}, Mapping = {Mapping?.Topic}, HeartbeatTopics = {string.Join(", ", HeartbeatTopics)} }}";
}
