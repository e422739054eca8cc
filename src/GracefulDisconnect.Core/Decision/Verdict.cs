namespace GracefulDisconnect;

/// <summary>The outcome of <see cref="GracePeriodDecision.Decide"/>.</summary>
public enum Verdict
{
    /// <summary>Still offline, and still the same outage: tell someone.</summary>
    Notify,

    /// <summary>The device is connected again.</summary>
    SkipReconnected,

    /// <summary>Offline, but the state changed after the trigger: a newer outage has its own re-check.</summary>
    SkipSuperseded,

    /// <summary>The thing, or its shadow, does not exist.</summary>
    SkipUnknownThing,

    /// <summary>The grace period has not passed yet; look again at the due time.</summary>
    NotYetDue,
}
