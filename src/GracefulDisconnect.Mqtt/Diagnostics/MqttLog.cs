using Microsoft.Extensions.Logging;

namespace GracefulDisconnect.Mqtt;

/// <summary>Every log line of the MQTT source, source-generated with stable event ids (5000-5099). No line carries a secret.</summary>
internal static partial class MqttLog
{
    // 5000-5019: our own connection to the broker.
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Connected to {Broker} as {ClientId} (session resumed: {SessionPresent}); subscribed to {Filters}")]
    public static partial void Connected(ILogger logger, string broker, string clientId, bool sessionPresent, string filters);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Connecting to {Broker} failed; blind to device changes until the next attempt at {RetryAt:o}")]
    public static partial void ConnectFailed(ILogger logger, string broker, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Lost the connection to {Broker} ({Reason}); blind to device changes until reconnected, next attempt at {RetryAt:o}")]
    public static partial void Disconnected(ILogger logger, string broker, string reason, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "The broker {Broker} refused the subscription to {Filter} ({Result}); messages on it are not seen")]
    public static partial void SubscriptionRefused(ILogger logger, string broker, string filter, string result);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "The broker {Broker} did not resume our session; QoS 1 messages published while we were away are lost, retained states are read again")]
    public static partial void SessionNotResumed(ILogger logger, string broker);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Disconnected from {Broker}; the broker keeps our session for {SessionExpiry}")]
    public static partial void Stopped(ILogger logger, string broker, TimeSpan sessionExpiry);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "The sign-of-life filter {Heartbeat} overlaps the availability filter {Availability}: the broker delivers a message on a topic both match twice, and a disconnect forwarded twice counts as two; narrow the heartbeat topic so that no availability topic matches it")]
    public static partial void HeartbeatOverlapsAvailability(ILogger logger, string heartbeat, string availability);

    // 5020-5039: messages.
    [LoggerMessage(EventId = 5020, Level = LogLevel.Warning, Message = "Skipped a message on {Topic}: its payload '{Payload}' is not an availability state {Rule} knows")]
    public static partial void UnknownPayload(ILogger logger, string topic, string payload, string rule);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "Skipped a message on {Topic}: the device name it holds {Problem}")]
    public static partial void InvalidThingName(ILogger logger, string topic, string problem);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Debug, Message = "Skipped the state '{Payload}' of {ThingName} on {Topic}: {Rule} knows it as neither up nor down")]
    public static partial void IgnoredState(ILogger logger, string thingName, string topic, string payload, string rule);

    [LoggerMessage(EventId = 5023, Level = LogLevel.Debug, Message = "Skipped a message on {Topic}: no preset or mapping matches it")]
    public static partial void NoRule(ILogger logger, string topic);

    [LoggerMessage(EventId = 5024, Level = LogLevel.Debug, Message = "Skipped the retained state of {ThingName} (connected: {Connected}): already forwarded, the broker repeats it on every subscription")]
    public static partial void RetainedRepeatSkipped(ILogger logger, string thingName, bool connected);

    [LoggerMessage(EventId = 5025, Level = LogLevel.Error, Message = "Handling a message on {Topic} failed; it is not acknowledged and comes again after a reconnect")]
    public static partial void MessageHandlingFailed(ILogger logger, string topic, Exception exception);

    // 5040-5059: handing events to the engine.
    [LoggerMessage(EventId = 5040, Level = LogLevel.Error, Message = "The engine could not record {Count} events; nothing of them is acknowledged to the broker, retrying at {RetryAt:o}")]
    public static partial void RecordFailed(ILogger logger, int count, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(EventId = 5041, Level = LogLevel.Warning, Message = "The engine refused the event of {ThingName}; it is skipped and acknowledged")]
    public static partial void EventRefused(ILogger logger, string thingName, Exception exception);

    [LoggerMessage(EventId = 5042, Level = LogLevel.Debug, Message = "Not acknowledging {Count} messages of an earlier connection; the broker sends them again on this session")]
    public static partial void StaleAcknowledgementsDropped(ILogger logger, int count);

    [LoggerMessage(EventId = 5043, Level = LogLevel.Debug, Message = "Acknowledging a message to the broker failed (the connection dropped); the broker sends it again")]
    public static partial void AcknowledgeFailed(ILogger logger, Exception exception);
}
