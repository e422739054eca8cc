using MQTTnet;

namespace GracefulDisconnect.Mqtt;

/// <summary>
/// A message waiting to be recorded and then acknowledged: its delivery (which acknowledges it), the connection it
/// came on, and its event when it has one.
/// </summary>
/// <param name="Delivery">MQTTnet's delivery, acknowledged once the batch holding it is recorded.</param>
/// <param name="Connection">The number of the connection it arrived on; an acknowledgement on a later connection would be wrong.</param>
/// <param name="Event">The connection event, when the message is one.</param>
/// <param name="Retained">Whether the broker sent it as a retained message (on subscribe), not as it was published.</param>
internal sealed record ReceivedMessage(MqttApplicationMessageReceivedEventArgs Delivery, long Connection, ConnectionEvent? Event, bool Retained);
