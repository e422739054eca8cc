namespace GracefulDisconnect.Mqtt;

/// <summary>What became of a received message.</summary>
internal enum TranslationOutcome
{
    /// <summary>A connection event for the engine.</summary>
    Event,

    /// <summary>No rule's topic matches (an overlapping subscription, a stray message): skipped.</summary>
    NoRule,

    /// <summary>The rule knows the payload as neither up nor down: skipped quietly.</summary>
    Ignored,

    /// <summary>The payload is none the rule knows: reported and skipped.</summary>
    UnknownPayload,

    /// <summary>The topic names a device whose name the engine would refuse: reported and skipped.</summary>
    InvalidThingName,
}
