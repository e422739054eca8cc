namespace GracefulDisconnect.Mqtt;

/// <summary>What an availability payload says about its device.</summary>
internal enum PayloadMeaning
{
    /// <summary>The payload is none the rule knows: reported and skipped.</summary>
    Unknown,

    /// <summary>The device is up.</summary>
    Up,

    /// <summary>The device is down.</summary>
    Down,

    /// <summary>A known state that is neither up nor down (Homie's <c>sleeping</c>): skipped quietly.</summary>
    Ignored,
}
