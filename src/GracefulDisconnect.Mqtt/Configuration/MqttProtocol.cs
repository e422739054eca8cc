namespace GracefulDisconnect.Mqtt;

/// <summary>The MQTT protocol version spoken to the broker.</summary>
public enum MqttProtocol
{
    /// <summary>MQTT 5: the session is kept for <see cref="MqttSourceOptions.SessionExpiry"/>. The default.</summary>
    V5,

    /// <summary>MQTT 3.1.1, for brokers without MQTT 5: a persistent session (clean session off) that the broker keeps until it expires it itself.</summary>
    V311,
}
