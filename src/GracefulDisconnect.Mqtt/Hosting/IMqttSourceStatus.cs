namespace GracefulDisconnect.Mqtt;

/// <summary>
/// Whether the MQTT source is connected to its broker, for a health check or a status page: while it is not, the
/// engine is blind to every device behind that broker.
/// </summary>
public interface IMqttSourceStatus
{
    /// <summary>The broker, as it may be shown or logged: <c>mqtt[s]://host:port</c>, never with credentials.</summary>
    string Broker { get; }

    /// <summary>Whether the source is connected and subscribed right now.</summary>
    bool IsConnected { get; }

    /// <summary>When the source last connected and subscribed, if ever.</summary>
    DateTimeOffset? ConnectedSince { get; }

    /// <summary>When the source last lost (or failed to get) its connection, if ever.</summary>
    DateTimeOffset? DisconnectedSince { get; }
}
