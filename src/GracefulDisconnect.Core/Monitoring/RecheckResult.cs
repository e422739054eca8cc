namespace GracefulDisconnect;

/// <summary>What a re-check did, in the words reports use (see <see cref="RecheckResultNames"/>).</summary>
public enum RecheckResult
{
    /// <summary>The device is still offline in the same outage, and someone was told (<c>notify</c>).</summary>
    Notified,

    /// <summary>The device reconnected (<c>skip-reconnected</c>).</summary>
    SkippedReconnected,

    /// <summary>A newer change superseded the trigger (<c>skip-superseded</c>).</summary>
    SkippedSuperseded,

    /// <summary>The thing or its shadow does not exist (<c>skip-unknown</c>).</summary>
    SkippedUnknownThing,

    /// <summary>This outage was already notified (<c>skip-duplicate</c>).</summary>
    SkippedDuplicate,

    /// <summary>Delivered before the grace period ended; due again later (<c>not-yet-due</c>).</summary>
    NotYetDue,

    /// <summary>Reading or notifying failed; to be retried (<c>failed</c>).</summary>
    Failed,

    /// <summary>
    /// A notified outage goes on and a reminder was sent (<c>reminder</c>); only with
    /// <see cref="AlertOptions.ReminderInterval"/> set.
    /// </summary>
    Reminded,
}
